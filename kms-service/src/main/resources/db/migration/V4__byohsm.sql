-- BYOHSM: a tenant's PKCS#11 tokens (its own HSMs), the keys generated inside them and the log of every operation.
-- The PIN and any credentials are sealed under the master key (AES-256-GCM, bound to the connection id); the key
-- material never leaves the token, so only the alias under which the token holds it is stored here.
CREATE TABLE hsm_connection (
    connection_id        UUID PRIMARY KEY,
    tenant_id            TEXT        NOT NULL,
    name                 TEXT        NOT NULL,
    provider             TEXT        NOT NULL,
    status               TEXT        NOT NULL CHECK (status IN ('pending_validation', 'active', 'inactive', 'error')),
    endpoint             TEXT,
    port                 INTEGER,
    library              TEXT        NOT NULL,
    slot                 BIGINT,
    slot_list_index      INTEGER,
    sealed_pin           BYTEA       NOT NULL,
    credentials_type     TEXT,
    sealed_credentials   BYTEA,
    metadata             TEXT,
    last_health_check_at TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    CHECK (slot IS NOT NULL OR slot_list_index IS NOT NULL)
);

CREATE INDEX hsm_connection_tenant ON hsm_connection (tenant_id, created_at, connection_id);

CREATE TABLE hsm_key (
    key_id        UUID PRIMARY KEY,
    connection_id UUID        NOT NULL REFERENCES hsm_connection (connection_id) ON DELETE CASCADE,
    tenant_id     TEXT        NOT NULL,
    key_type      TEXT        NOT NULL,
    key_size      INTEGER     NOT NULL,
    algorithm     TEXT        NOT NULL,
    purpose       TEXT        NOT NULL,
    -- the token's alias of the key (its CKA_LABEL)
    alias         TEXT        NOT NULL,
    name          TEXT,
    description   TEXT,
    -- X.509 SubjectPublicKeyInfo of an asymmetric key
    public_key    BYTEA,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE INDEX hsm_key_tenant ON hsm_key (tenant_id, created_at, key_id);

CREATE TABLE hsm_operation (
    operation_id  UUID PRIMARY KEY,
    connection_id UUID             NOT NULL REFERENCES hsm_connection (connection_id) ON DELETE CASCADE,
    type          TEXT             NOT NULL,
    key_id        UUID,
    status        TEXT             NOT NULL CHECK (status IN ('success', 'failure')),
    latency_ms    DOUBLE PRECISION NOT NULL,
    error         TEXT,
    created_at    TIMESTAMPTZ      NOT NULL
);

CREATE INDEX hsm_operation_connection ON hsm_operation (connection_id, created_at);
