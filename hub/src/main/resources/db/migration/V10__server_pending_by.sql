-- Which hub replica runs the start recorded in pending_since (null: none, or a start recorded
-- before this column). A start whose replica is known to be gone (a lone hub's earlier run, a
-- Lease holder that lost the Lease) is settled at once instead of after the whole start timeout.
ALTER TABLE servers ADD COLUMN pending_by VARCHAR(255);
