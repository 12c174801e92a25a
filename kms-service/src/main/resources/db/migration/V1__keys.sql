-- Tenant keys; algorithm and usage are those of the current version. Key material is never stored in plain form: wrapped_material holds it sealed (AES-256-GCM) under
-- the service's master key, bound to the key id and version, so a row copied onto another key cannot be opened.
CREATE TABLE kms_key (
    key_id          UUID PRIMARY KEY,
    tenant_id       TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    description     TEXT,
    algorithm       TEXT        NOT NULL CHECK (algorithm IN ('AES-256-GCM', 'RSA-3072', 'EC-P256', 'ML-KEM-768', 'ML-DSA-65')),
    usage           TEXT        NOT NULL CHECK (usage IN ('encrypt_decrypt', 'sign_verify', 'key_encapsulation')),
    state           TEXT        NOT NULL CHECK (state IN ('enabled', 'disabled', 'pending_deletion', 'deleted')),
    current_version INTEGER     NOT NULL CHECK (current_version > 0),
    deletion_date   TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    rotated_at      TIMESTAMPTZ
);

-- a name is unique among a tenant's keys that still exist
CREATE UNIQUE INDEX kms_key_tenant_name ON kms_key (tenant_id, lower(name)) WHERE state <> 'deleted';
CREATE INDEX kms_key_tenant_created ON kms_key (tenant_id, created_at, key_id);

CREATE TABLE kms_key_version (
    key_id           UUID        NOT NULL REFERENCES kms_key (key_id) ON DELETE CASCADE,
    version          INTEGER     NOT NULL CHECK (version > 0),
    -- a rotation may move a key to another algorithm (crypto agility): each version keeps its own
    algorithm        TEXT        NOT NULL,
    wrapped_material BYTEA       NOT NULL,
    -- X.509 SubjectPublicKeyInfo of an asymmetric key; public by nature
    public_key       BYTEA,
    origin           TEXT        NOT NULL CHECK (origin IN ('generated', 'imported')),
    created_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (key_id, version)
);

-- One row per cryptographic operation (and per usage an application records): the source of every analytics
-- figure. Rows outlive their key, so history stays explainable after a deletion.
CREATE TABLE key_operation (
    id              BIGSERIAL PRIMARY KEY,
    tenant_id       TEXT        NOT NULL,
    key_id          UUID        NOT NULL,
    key_version     INTEGER,
    algorithm       TEXT        NOT NULL,
    application_id  TEXT        NOT NULL,
    source          TEXT        NOT NULL CHECK (source IN ('service', 'recorded')),
    operation       TEXT        NOT NULL,
    bytes_processed BIGINT      NOT NULL CHECK (bytes_processed >= 0),
    outcome         TEXT        NOT NULL CHECK (outcome IN ('success', 'failure')),
    occurred_at     TIMESTAMPTZ NOT NULL
);

CREATE INDEX key_operation_tenant_time ON key_operation (tenant_id, occurred_at);
CREATE INDEX key_operation_tenant_key_time ON key_operation (tenant_id, key_id, occurred_at);
