-- Federated audit: identity-provider events recorded by tenants, and the reports computed from them.
-- Every row carries the tenant that recorded or requested it; every query is scoped by it.

CREATE TABLE federation_audit_event (
    id               UUID         PRIMARY KEY,
    tenant_id        TEXT         NOT NULL,
    event_type       TEXT         NOT NULL,
    provider         TEXT         NOT NULL,
    user_id          TEXT         NOT NULL,
    outcome          TEXT         NOT NULL CHECK (outcome IN ('success', 'failure')),
    -- free-form context from the identity provider, secret-looking values already redacted
    metadata         JSONB        NOT NULL DEFAULT '{}'::jsonb,
    -- set when a user of tenant_id acted in another tenant (cross-tenant activity)
    target_tenant_id TEXT         CHECK (target_tenant_id IS NULL OR target_tenant_id <> tenant_id),
    -- when it happened at the provider (microsecond precision, the keyset's first column)
    occurred_at      TIMESTAMPTZ  NOT NULL,
    recorded_at      TIMESTAMPTZ  NOT NULL,
    recorded_by      TEXT
);

-- keyset paging and time-range filters, per tenant, in (occurred_at, id) order
CREATE INDEX federation_audit_event_tenant_time ON federation_audit_event (tenant_id, occurred_at, id);

-- cross-tenant activity, seen from either side
CREATE INDEX federation_audit_event_cross_source ON federation_audit_event (tenant_id, occurred_at)
    WHERE target_tenant_id IS NOT NULL;
CREATE INDEX federation_audit_event_cross_target ON federation_audit_event (target_tenant_id, occurred_at)
    WHERE target_tenant_id IS NOT NULL;

CREATE TABLE federation_audit_report (
    id             UUID         PRIMARY KEY,
    tenant_id      TEXT         NOT NULL,
    report_type    TEXT         NOT NULL CHECK (report_type IN ('compliance', 'activity', 'security')),
    format         TEXT         NOT NULL CHECK (format IN ('json', 'csv')),
    status         TEXT         NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
    range_start    TIMESTAMPTZ  NOT NULL,
    range_end      TIMESTAMPTZ  NOT NULL CHECK (range_end > range_start),
    -- a JSON array of provider names; NULL: every provider
    providers      JSONB,
    requested_by   TEXT,
    created_at     TIMESTAMPTZ  NOT NULL,
    -- generation bookkeeping: a claim older than the lease is considered abandoned (crashed instance)
    attempts       INTEGER      NOT NULL DEFAULT 0,
    claimed_at     TIMESTAMPTZ,
    completed_at   TIMESTAMPTZ,
    failure_reason TEXT,
    data           JSONB,
    content        BYTEA,
    CHECK (status <> 'completed' OR (data IS NOT NULL AND content IS NOT NULL AND completed_at IS NOT NULL))
);

CREATE INDEX federation_audit_report_tenant_created ON federation_audit_report (tenant_id, created_at DESC, id DESC);
CREATE INDEX federation_audit_report_pending ON federation_audit_report (created_at) WHERE status = 'pending';
