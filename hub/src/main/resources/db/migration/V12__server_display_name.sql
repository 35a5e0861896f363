-- JupyterHub 6.0's display_name: how pages show a server, free text beside its URL-safe name.
-- Null for servers recorded before it; the API then shows the name itself (see ApiModels).
ALTER TABLE servers ADD COLUMN display_name VARCHAR(255);
