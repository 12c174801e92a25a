-- The authorization server keeps each issued token's SHA-256 digest, never the token (DigestedTokenAuthorizationService):
-- records kept before are digested in place, so their tokens can still be introspected and revoked.
CREATE FUNCTION pg_temp.token_digest(value TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value IS NULL OR value LIKE 'sha256:%' THEN value
                ELSE 'sha256:' || encode(sha256(convert_to(value, 'UTF8')), 'hex') END
$$;

UPDATE oauth2_authorization SET
    authorization_code_value = pg_temp.token_digest(authorization_code_value),
    access_token_value       = pg_temp.token_digest(access_token_value),
    oidc_id_token_value      = pg_temp.token_digest(oidc_id_token_value),
    refresh_token_value      = pg_temp.token_digest(refresh_token_value),
    user_code_value          = pg_temp.token_digest(user_code_value),
    device_code_value        = pg_temp.token_digest(device_code_value);

-- lookups by token (introspection, revocation, refresh) find the record by an index instead of reading the table
CREATE INDEX oauth2_authorization_access_token ON oauth2_authorization (access_token_value)
    WHERE access_token_value IS NOT NULL;
CREATE INDEX oauth2_authorization_refresh_token ON oauth2_authorization (refresh_token_value)
    WHERE refresh_token_value IS NOT NULL;
CREATE INDEX oauth2_authorization_code ON oauth2_authorization (authorization_code_value)
    WHERE authorization_code_value IS NOT NULL;
