-- Buckets and objects. An object's content lives on the region's volume, encrypted under a data key from
-- kms-service; its row keeps that data key only as kms-service wrapped it. Keys sort and match byte-wise (collation
-- "C"), as S3 lists them, so prefix listings use the index.
CREATE TABLE bucket (
    bucket_id  UUID PRIMARY KEY,
    tenant_id  TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    region     TEXT        NOT NULL,
    created_by TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE stored_object (
    object_id     UUID PRIMARY KEY,
    tenant_id     TEXT                 NOT NULL,
    bucket_id     UUID                 NOT NULL REFERENCES bucket (bucket_id),
    object_key    TEXT COLLATE "C"     NOT NULL,
    version_id    UUID                 NOT NULL,
    size_bytes    BIGINT               NOT NULL,
    etag          TEXT                 NOT NULL,
    content_type  TEXT                 NOT NULL,
    wrapped_key   TEXT                 NOT NULL,
    storage_class TEXT                 NOT NULL DEFAULT 'standard',
    created_at    TIMESTAMPTZ          NOT NULL,
    written_at    TIMESTAMPTZ          NOT NULL,
    written_by    TEXT                 NOT NULL,
    UNIQUE (bucket_id, object_key)
);

CREATE INDEX stored_object_tenant ON stored_object (tenant_id, bucket_id, object_key);

-- Classification: policies of rules, scans queued and claimed by one instance at a time, the objects each scan
-- covers (its progress), and the labels scans leave on objects (one per object and policy; none of the matched
-- values are kept, only how many matches each rule had).
CREATE TABLE classification_policy (
    policy_id   UUID PRIMARY KEY,
    tenant_id   TEXT        NOT NULL,
    name        TEXT        NOT NULL,
    description TEXT,
    rules       JSONB       NOT NULL,
    auto_apply  BOOLEAN     NOT NULL,
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE classification_scan (
    scan_id                 UUID PRIMARY KEY,
    tenant_id               TEXT        NOT NULL,
    trigger                 TEXT        NOT NULL,
    buckets                 TEXT[]      NOT NULL,
    prefixes                TEXT[]      NOT NULL,
    policy_ids              UUID[]      NOT NULL,
    status                  TEXT        NOT NULL,
    objects_total           INTEGER     NOT NULL,
    bytes_total             BIGINT      NOT NULL,
    objects_scanned         INTEGER     NOT NULL DEFAULT 0,
    objects_labelled        INTEGER     NOT NULL DEFAULT 0,
    objects_failed          INTEGER     NOT NULL DEFAULT 0,
    objects_skipped         INTEGER     NOT NULL DEFAULT 0,
    bytes_scanned           BIGINT      NOT NULL DEFAULT 0,
    requested_by            TEXT        NOT NULL,
    created_at              TIMESTAMPTZ NOT NULL,
    estimated_completion_at TIMESTAMPTZ NOT NULL,
    started_at              TIMESTAMPTZ,
    completed_at            TIMESTAMPTZ,
    lease_until             TIMESTAMPTZ
);

CREATE INDEX classification_scan_queue ON classification_scan (created_at) WHERE status IN ('queued', 'running');

CREATE TABLE scan_item (
    scan_id    UUID    NOT NULL REFERENCES classification_scan (scan_id) ON DELETE CASCADE,
    object_id  UUID    NOT NULL,
    size_bytes BIGINT  NOT NULL,
    state      TEXT    NOT NULL DEFAULT 'pending',
    error      TEXT,
    PRIMARY KEY (scan_id, object_id)
);

CREATE TABLE object_label (
    object_id      UUID        NOT NULL REFERENCES stored_object (object_id) ON DELETE CASCADE,
    policy_id      UUID        NOT NULL REFERENCES classification_policy (policy_id) ON DELETE CASCADE,
    tenant_id      TEXT        NOT NULL,
    version_id     UUID        NOT NULL,
    classification TEXT,
    data_types     TEXT[]      NOT NULL,
    findings       JSONB       NOT NULL,
    scanned_bytes  BIGINT      NOT NULL,
    truncated      BOOLEAN     NOT NULL,
    scan_id        UUID        NOT NULL,
    scanned_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (object_id, policy_id)
);

CREATE INDEX object_label_tenant ON object_label (tenant_id);

-- Retention: policies keeping objects for a period (then deleting, archiving or reporting them), legal holds with
-- their history, and the expiry actions applied (once per object version and policy).
CREATE TABLE retention_policy (
    policy_id        UUID PRIMARY KEY,
    tenant_id        TEXT        NOT NULL,
    name             TEXT        NOT NULL,
    retention_period TEXT        NOT NULL,
    period           INTERVAL    NOT NULL,
    buckets          TEXT[]      NOT NULL,
    classifications  TEXT[]      NOT NULL,
    on_expiry        TEXT        NOT NULL,
    created_by       TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE retention_action (
    object_id  UUID        NOT NULL,
    version_id UUID        NOT NULL,
    policy_id  UUID        NOT NULL REFERENCES retention_policy (policy_id) ON DELETE CASCADE,
    tenant_id  TEXT        NOT NULL,
    action     TEXT        NOT NULL,
    outcome    TEXT        NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (object_id, version_id, policy_id)
);

CREATE TABLE legal_hold (
    hold_id        UUID PRIMARY KEY,
    tenant_id      TEXT        NOT NULL,
    name           TEXT        NOT NULL,
    reason         TEXT        NOT NULL,
    object_ids     UUID[]      NOT NULL,
    bucket_ids     UUID[]      NOT NULL,
    expires_at     TIMESTAMPTZ,
    created_by     TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    released_at    TIMESTAMPTZ,
    released_by    TEXT,
    release_reason TEXT
);

CREATE INDEX legal_hold_active ON legal_hold (tenant_id) WHERE released_at IS NULL;

-- Replication: configurations, one copy task per object version and destination region (retried with backoff
-- until it succeeds; superseded when a newer version or a deletion follows), and the replicas each region holds.
CREATE TABLE replication_config (
    config_id           UUID PRIMARY KEY,
    tenant_id           TEXT        NOT NULL,
    name                TEXT        NOT NULL,
    source_region       TEXT        NOT NULL,
    destination_regions TEXT[]      NOT NULL,
    buckets             TEXT[]      NOT NULL,
    prefixes            TEXT[]      NOT NULL,
    mode                TEXT        NOT NULL,
    encryption_at_rest  BOOLEAN     NOT NULL,
    status              TEXT        NOT NULL,
    created_by          TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE replication_task (
    task_id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    config_id       UUID        NOT NULL REFERENCES replication_config (config_id) ON DELETE CASCADE,
    tenant_id       TEXT        NOT NULL,
    object_id       UUID        NOT NULL,
    version_id      UUID,
    region          TEXT        NOT NULL,
    kind            TEXT        NOT NULL,
    encrypted       BOOLEAN     NOT NULL,
    state           TEXT        NOT NULL,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    claimed_until   TIMESTAMPTZ,
    completed_at    TIMESTAMPTZ,
    duration_ms     BIGINT
);

CREATE INDEX replication_task_due ON replication_task (next_attempt_at) WHERE state = 'pending';
CREATE INDEX replication_task_config ON replication_task (config_id, state);
CREATE INDEX replication_task_object ON replication_task (object_id, region) WHERE state = 'pending';

CREATE TABLE replica (
    object_id     UUID        NOT NULL,
    region        TEXT        NOT NULL,
    encrypted     BOOLEAN     NOT NULL,
    tenant_id     TEXT        NOT NULL,
    version_id    UUID        NOT NULL,
    size_bytes    BIGINT      NOT NULL,
    replicated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (object_id, region, encrypted)
);
