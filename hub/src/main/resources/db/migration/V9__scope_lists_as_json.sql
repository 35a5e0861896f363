-- Token scopes and OAuth clients' allowed scopes were stored space-separated; a scope's filter can
-- name a user or server whose name has a space in it, so they become JSON lists. The strings are
-- escaped for JSON first. Portable SQL (H2 and PostgreSQL).
UPDATE api_tokens SET scopes = CASE WHEN scopes = '' THEN '[]' ELSE
    '["' || REPLACE(REPLACE(REPLACE(scopes, '\', '\\'), '"', '\"'), ' ', '","') || '"]' END;
UPDATE oauth_clients SET allowed_scopes = CASE WHEN allowed_scopes = '' THEN '[]' ELSE
    '["' || REPLACE(REPLACE(REPLACE(allowed_scopes, '\', '\\'), '"', '\"'), ' ', '","') || '"]' END;
