-- The gateway's request log as far as the health score needs it: one row per logged request of a tenant.
CREATE TABLE logged_request (
    event_id     uuid          PRIMARY KEY,
    tenant_id    varchar(200)  NOT NULL,
    at           timestamptz   NOT NULL,
    status_code  int           NOT NULL,
    duration_ms  bigint        NOT NULL,
    -- the API key that authenticated it, or the client address for bearer tokens: who was active
    principal    varchar(300)  NOT NULL,
    key_id       varchar(200)
);
CREATE INDEX logged_request_by_tenant ON logged_request (tenant_id, at);
CREATE INDEX logged_request_by_time ON logged_request (at);

-- A health snapshot: what the tenant reported, what the request log showed at that moment, and the score.
CREATE TABLE health_snapshot (
    snapshot_id   uuid             PRIMARY KEY,
    tenant_id     varchar(200)     NOT NULL,
    recorded_at   timestamptz      NOT NULL,
    recorded_by   varchar(200)     NOT NULL,
    reported      jsonb            NOT NULL,
    observed      jsonb            NOT NULL,
    score         int              NOT NULL,
    status        varchar(20)      NOT NULL,
    issues        jsonb            NOT NULL
);
CREATE INDEX health_snapshot_by_tenant ON health_snapshot (tenant_id, recorded_at);

-- The value of a tenant's quota counter as sampled on a UTC day (the last sample of the day wins).
CREATE TABLE quota_usage_sample (
    tenant_id    varchar(200)  NOT NULL,
    quota_type   varchar(200)  NOT NULL,
    day          date          NOT NULL,
    quota_window varchar(20)   NOT NULL,
    used         bigint        NOT NULL,
    sampled_at   timestamptz   NOT NULL,
    PRIMARY KEY (tenant_id, quota_type, day)
);

CREATE TABLE onboarding_workflow (
    workflow_id      varchar(40)   PRIMARY KEY,
    tenant_id        varchar(200)  NOT NULL,
    template_id      varchar(100)  NOT NULL,
    target_tenant_id varchar(200)  NOT NULL,
    parameters       jsonb         NOT NULL,
    status           varchar(20)   NOT NULL,
    steps            jsonb         NOT NULL,
    created_by       varchar(200)  NOT NULL,
    created_at       timestamptz   NOT NULL,
    updated_at       timestamptz   NOT NULL,
    status_reason    varchar(1000)
);
CREATE INDEX onboarding_workflow_by_tenant ON onboarding_workflow (tenant_id, created_at);

CREATE TABLE isolation_audit (
    audit_id      varchar(40)   PRIMARY KEY,
    tenant_id     varchar(200)  NOT NULL,
    scope         text[]        NOT NULL,
    depth         varchar(20)   NOT NULL,
    status        varchar(20)   NOT NULL,
    started_at    timestamptz   NOT NULL,
    completed_at  timestamptz,
    by_category   jsonb,
    checks        jsonb         NOT NULL DEFAULT '[]'
);
CREATE INDEX isolation_audit_by_tenant ON isolation_audit (tenant_id, started_at);
