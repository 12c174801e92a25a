-- Leak detection: policies (rules and what to do on a detection), scans (queued, claimed by one instance, progress
-- kept here) and incidents with their timelines. No detected value is stored: only a masked form and its keyed
-- fingerprint (HMAC under the tenant's fingerprint key), which recognises the same value found again.

CREATE TABLE leak_policy (
    policy_id             UUID PRIMARY KEY,
    tenant_id             TEXT        NOT NULL,
    name                  TEXT        NOT NULL,
    description           TEXT,
    enabled               BOOLEAN     NOT NULL,
    include_default_rules BOOLEAN     NOT NULL,
    scan_targets          TEXT[]      NOT NULL,
    on_detection          TEXT        NOT NULL CHECK (on_detection IN ('alert', 'rotate', 'revoke')),
    generator             TEXT,
    notification_channels TEXT[]      NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE leak_policy_pattern (
    policy_id UUID    NOT NULL REFERENCES leak_policy (policy_id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    type      TEXT    NOT NULL CHECK (type IN ('regex', 'keyword', 'entropy')),
    pattern   TEXT    NOT NULL,
    severity  TEXT    NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    PRIMARY KEY (policy_id, position)
);

CREATE TABLE leak_scan (
    scan_id                 UUID PRIMARY KEY,
    tenant_id               TEXT        NOT NULL,
    status                  TEXT        NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    targets                 TEXT[]      NOT NULL,
    repositories            TEXT[]      NOT NULL,
    organizations           TEXT[]      NOT NULL,
    policy_ids              UUID[]      NOT NULL,
    requested_by            TEXT        NOT NULL,
    created_at              TIMESTAMPTZ NOT NULL,
    estimated_units         INTEGER     NOT NULL,
    estimated_completion_at TIMESTAMPTZ NOT NULL,
    started_at              TIMESTAMPTZ,
    completed_at            TIMESTAMPTZ,
    progress                INTEGER     NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    repositories_total      INTEGER,
    repositories_scanned    INTEGER     NOT NULL DEFAULT 0,
    files_scanned           BIGINT      NOT NULL DEFAULT 0,
    findings                INTEGER     NOT NULL DEFAULT 0,
    failure_reason          TEXT,
    claimed_by              TEXT,
    heartbeat_at            TIMESTAMPTZ
);

CREATE INDEX leak_scan_queue ON leak_scan (created_at) WHERE status = 'queued';
CREATE INDEX leak_scan_running ON leak_scan (heartbeat_at) WHERE status = 'running';
CREATE INDEX leak_scan_done ON leak_scan (completed_at) WHERE status = 'completed';

CREATE TABLE leak_incident (
    incident_id       UUID PRIMARY KEY,
    tenant_id         TEXT        NOT NULL,
    secret_id         TEXT,
    secret_version    INTEGER,
    source            TEXT        NOT NULL,
    location          TEXT        NOT NULL,
    severity          TEXT        NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    status            TEXT        NOT NULL CHECK (status IN ('open', 'investigating', 'resolved', 'false_positive')),
    details           JSONB       NOT NULL,
    resolution        TEXT,
    detected_at       TIMESTAMPTZ NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    scan_id           UUID,
    -- a detected value's keyed fingerprint and where it was found (target, repository, path): one incident each
    value_fingerprint BYTEA,
    location_key      TEXT
);

CREATE UNIQUE INDEX leak_incident_sighting ON leak_incident (tenant_id, value_fingerprint, location_key)
    WHERE value_fingerprint IS NOT NULL;
CREATE INDEX leak_incident_by_time ON leak_incident (tenant_id, detected_at DESC);
CREATE INDEX leak_incident_by_secret ON leak_incident (tenant_id, secret_id) WHERE secret_id IS NOT NULL;

CREATE TABLE leak_incident_event (
    event_id    BIGSERIAL PRIMARY KEY,
    incident_id UUID        NOT NULL REFERENCES leak_incident (incident_id) ON DELETE CASCADE,
    occurred_at TIMESTAMPTZ NOT NULL,
    event       TEXT        NOT NULL CHECK (event IN ('created', 'action', 'status_changed', 'seen_again')),
    actor       TEXT        NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    action      TEXT,
    result      TEXT,
    notes       TEXT,
    scan_id     UUID
);

CREATE INDEX leak_incident_event_by_incident ON leak_incident_event (incident_id, event_id);
