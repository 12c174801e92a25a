-- DataHub API keys (spec 003). The key itself is never stored: key_hash (HMAC-SHA256 under
-- qnsp.auth.api-key-hash-secret) finds a presented key, key_prefix is what lists show.
CREATE TABLE api_key (
    id                  TEXT        PRIMARY KEY,
    tenant_id           TEXT        NOT NULL,
    created_by          TEXT        NOT NULL,
    name                TEXT        NOT NULL CHECK (char_length(name) BETWEEN 3 AND 100),
    description         TEXT,
    key_hash            BYTEA       NOT NULL,
    key_prefix          TEXT        NOT NULL,
    -- stored lifecycle; "expired" is derived from expires_at (see expiry_announced_at)
    status              TEXT        NOT NULL CHECK (status IN ('active', 'deprecated', 'revoked')),
    scopes              TEXT        NOT NULL,
    requests_per_minute INTEGER     NOT NULL CHECK (requests_per_minute > 0),
    requests_per_hour   INTEGER     NOT NULL CHECK (requests_per_hour > 0),
    requests_per_day    INTEGER     NOT NULL CHECK (requests_per_day > 0),
    -- json, not jsonb: the caller's key order is kept
    metadata            JSON        NOT NULL,
    expires_at          TIMESTAMPTZ,
    deprecated_at       TIMESTAMPTZ,
    revoked_at          TIMESTAMPTZ,
    rotated_from        TEXT        REFERENCES api_key (id),
    replaced_by         TEXT        REFERENCES api_key (id),
    -- maintained by batched usage flushes, never by entity updates
    total_requests      BIGINT      NOT NULL DEFAULT 0,
    last_used_at        TIMESTAMPTZ,
    -- set once the passing of expires_at has been published to the gateway
    expiry_announced_at TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);

-- verification: one lookup by hash
CREATE UNIQUE INDEX api_key_key_hash ON api_key (key_hash);
-- listing a tenant's keys, newest first by default
CREATE INDEX api_key_tenant_created ON api_key (tenant_id, created_at DESC, id DESC);
-- the expiry sweep looks only at keys whose expiry has not been announced yet
CREATE INDEX api_key_unannounced_expiry ON api_key (expires_at)
    WHERE expiry_announced_at IS NULL AND status <> 'revoked' AND expires_at IS NOT NULL;
