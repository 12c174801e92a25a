-- Versioned secrets. A secret is named by its client (secret_id, unique within the tenant) and holds numbered
-- versions. A value is stored only envelope-encrypted (ciphertext under a data key, and that data key as
-- kms-service wrapped it) together with its fingerprint (HMAC-SHA256 under the tenant's fingerprint key), never in
-- plain text or as a plain hash. Destroying a version erases its ciphertext and wrapped key for good; the
-- fingerprint stays so a leak of the value is still recognised.
CREATE TABLE versioned_secret (
    tenant_id            TEXT        NOT NULL,
    secret_id            TEXT        NOT NULL,
    -- the newest version number handed out; the next version is latest_version + 1 (under this row's lock)
    latest_version       INTEGER     NOT NULL CHECK (latest_version >= 1),
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    -- the retention policy: NULL limits are no limits
    max_versions         INTEGER CHECK (max_versions >= 1),
    -- ISO 8601 duration as the client wrote it, e.g. P30D
    delete_after         TEXT,
    auto_destroy         BOOLEAN     NOT NULL DEFAULT FALSE,
    retention_updated_at TIMESTAMPTZ,
    -- when the retention sweeper last enforced the policy (NULL: due at the next sweep)
    retention_swept_at   TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, secret_id)
);

CREATE INDEX versioned_secret_retention_due ON versioned_secret (retention_swept_at NULLS FIRST)
    WHERE max_versions IS NOT NULL OR delete_after IS NOT NULL;

CREATE TABLE secret_version (
    -- part of the value's encryption context: a ciphertext copied onto another row does not open
    version_id   UUID PRIMARY KEY,
    tenant_id    TEXT        NOT NULL,
    secret_id    TEXT        NOT NULL,
    version      INTEGER     NOT NULL CHECK (version >= 1),
    state        TEXT        NOT NULL CHECK (state IN ('active', 'deprecated', 'destroyed')),
    ciphertext   BYTEA,
    wrapped_key  TEXT,
    fingerprint  BYTEA       NOT NULL,
    -- the client's metadata (not secret), {} when none was given
    metadata     JSONB       NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   TEXT        NOT NULL,
    state_changed_at TIMESTAMPTZ,
    UNIQUE (tenant_id, secret_id, version),
    FOREIGN KEY (tenant_id, secret_id) REFERENCES versioned_secret (tenant_id, secret_id),
    -- a destroyed version has no value left; every other version has one
    CHECK ((state = 'destroyed') = (ciphertext IS NULL)),
    CHECK ((ciphertext IS NULL) = (wrapped_key IS NULL))
);

-- leak detection finds the versions holding a value by its fingerprint
CREATE INDEX secret_version_fingerprint ON secret_version (tenant_id, fingerprint);

-- The per-secret audit log: what happened to which version, by whom. It outlives the versions it names.
CREATE TABLE secret_audit_event (
    event_seq   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    UUID        NOT NULL UNIQUE,
    tenant_id   TEXT        NOT NULL,
    secret_id   TEXT        NOT NULL,
    action      TEXT        NOT NULL CHECK (action IN ('created', 'read', 'deprecated', 'destroyed', 'rollback')),
    version     INTEGER     NOT NULL,
    actor       TEXT        NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    -- why, when the caller said so or the retention policy acted
    reason      TEXT
);

CREATE INDEX secret_audit_event_secret ON secret_audit_event (tenant_id, secret_id, event_seq);
