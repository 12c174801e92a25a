-- Dynamic secrets: configurations of database backends on which leases are real accounts, and the leases.
-- The backend's connection string and administrative credentials are envelope-sealed (bound to the config id);
-- a lease keeps its account's name only, never its password.
CREATE TABLE dynamic_secret_config (
    config_id         UUID PRIMARY KEY,
    tenant_id         TEXT        NOT NULL,
    name              TEXT        NOT NULL,
    type              TEXT        NOT NULL CHECK (type IN ('database', 'cloud_credentials', 'api_key', 'certificate')),
    backend_type      TEXT        NOT NULL,
    sealed_backend    BYTEA       NOT NULL,
    backend_key       TEXT        NOT NULL,
    username_template TEXT        NOT NULL,
    role_template     TEXT        NOT NULL,
    default_ttl_ms    BIGINT      NOT NULL CHECK (default_ttl_ms > 0),
    max_ttl_ms        BIGINT      NOT NULL CHECK (max_ttl_ms >= default_ttl_ms),
    created_by        TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, name)
);

-- state: active (its account exists), revoking (its account is being dropped or awaits a retry), revoked (dropped
-- on request), expired (dropped after expires_at). A lease is claimed for revocation by one worker at a time:
-- claim_token and claimed_until, set in a committed conditional update, are that claim.
CREATE TABLE dynamic_secret_lease (
    lease_id                UUID PRIMARY KEY,
    tenant_id               TEXT        NOT NULL,
    config_id               UUID        NOT NULL REFERENCES dynamic_secret_config (config_id),
    username                TEXT        NOT NULL,
    state                   TEXT        NOT NULL CHECK (state IN ('active', 'revoking', 'revoked', 'expired')),
    purpose                 TEXT,
    requested_by            TEXT,
    created_by              TEXT        NOT NULL,
    created_at              TIMESTAMPTZ NOT NULL,
    expires_at              TIMESTAMPTZ NOT NULL,
    max_expires_at          TIMESTAMPTZ NOT NULL,
    revocation_reason       TEXT CHECK (revocation_reason IN ('manual', 'expiry')),
    revocation_requested_at TIMESTAMPTZ,
    revoked_at              TIMESTAMPTZ,
    revoke_attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at         TIMESTAMPTZ,
    last_error              TEXT,
    claim_token             UUID,
    claimed_until           TIMESTAMPTZ
);

CREATE INDEX dynamic_secret_lease_config ON dynamic_secret_lease (tenant_id, config_id, created_at);
CREATE INDEX dynamic_secret_lease_expiring ON dynamic_secret_lease (expires_at) WHERE state = 'active';
CREATE INDEX dynamic_secret_lease_retrying ON dynamic_secret_lease (next_attempt_at) WHERE state = 'revoking';
