-- PKCE (RFC 7636), as JupyterHub 6.0 keeps it: the challenge an authorization code was issued for,
-- checked against the verifier when the code is exchanged.
ALTER TABLE oauth_codes ADD COLUMN code_challenge VARCHAR(255);
ALTER TABLE oauth_codes ADD COLUMN code_challenge_method VARCHAR(64);
