-- When a start began, while it is in flight (null otherwise). Kept in the database so every hub
-- replica knows, and so the leader can finish or undo a start whose replica died mid-way.
ALTER TABLE servers ADD COLUMN pending_since TIMESTAMP WITH TIME ZONE;
