-- API keys of the rate-limit service. A key is never stored in plain text: key_hash (HMAC-SHA256 under a
-- server secret) finds it, key_ciphertext (AES-256-GCM) lets an operator see it again in the admin API.
CREATE TABLE api_key (
    id               UUID PRIMARY KEY,
    owner_tenant     TEXT,
    key_hash         BYTEA        NOT NULL UNIQUE,
    key_ciphertext   BYTEA        NOT NULL,
    display_prefix   TEXT         NOT NULL,
    name             TEXT         NOT NULL,
    description      TEXT,
    status           TEXT         NOT NULL CHECK (status IN ('active', 'disabled')),
    algorithm        TEXT         NOT NULL CHECK (algorithm IN ('token_bucket')),
    tokens_per_second INTEGER     NOT NULL CHECK (tokens_per_second > 0),
    burst_capacity   INTEGER      NOT NULL CHECK (burst_capacity > 0),
    created_at       TIMESTAMPTZ  NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL,
    version          BIGINT       NOT NULL DEFAULT 0
);

CREATE INDEX api_key_owner_created ON api_key (owner_tenant, created_at, id);

-- Decisions per key and minute, aggregated in memory and flushed in batches (never a write per decision).
CREATE TABLE key_usage_minute (
    key_id          UUID        NOT NULL REFERENCES api_key (id) ON DELETE CASCADE,
    minute          TIMESTAMPTZ NOT NULL,
    allowed         BIGINT      NOT NULL DEFAULT 0,
    throttled       BIGINT      NOT NULL DEFAULT 0,
    last_request_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (key_id, minute)
);
