-- Just-in-time access: policies saying how temporary access to a resource type is granted, the requests for it and
-- the grants that take part in decisions until they expire or are revoked.
CREATE TABLE jit_policy (
    policy_id            UUID PRIMARY KEY,
    tenant_id            TEXT        NOT NULL,
    name                 TEXT        NOT NULL,
    description          TEXT,
    resource_types       JSONB       NOT NULL,
    max_duration_minutes INTEGER     NOT NULL CHECK (max_duration_minutes > 0),
    require_approval     BOOLEAN     NOT NULL,
    approver_roles       JSONB       NOT NULL,
    -- auto-approval: within a UTC time-of-day window and/or up to a risk score
    auto_window_start    TEXT,
    auto_window_end      TEXT,
    auto_max_risk_score  NUMERIC,
    created_at           TIMESTAMPTZ NOT NULL,
    created_by           TEXT        NOT NULL
);

CREATE UNIQUE INDEX jit_policy_tenant_name ON jit_policy (tenant_id, lower(name));

-- a resource type is covered by at most one JIT policy of the tenant
CREATE TABLE jit_policy_resource_type (
    tenant_id     TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    policy_id     UUID NOT NULL REFERENCES jit_policy (policy_id) ON DELETE CASCADE,
    PRIMARY KEY (tenant_id, resource_type)
);

CREATE TABLE jit_request (
    request_id       UUID PRIMARY KEY,
    tenant_id        TEXT        NOT NULL,
    policy_id        UUID        NOT NULL REFERENCES jit_policy (policy_id),
    requester_id     TEXT        NOT NULL,
    resource_type    TEXT        NOT NULL,
    resource_id      TEXT        NOT NULL,
    permissions      JSONB       NOT NULL,
    justification    TEXT        NOT NULL,
    duration_minutes INTEGER     NOT NULL CHECK (duration_minutes > 0),
    ticket_reference TEXT,
    risk_score       NUMERIC,
    status           TEXT        NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
    approvers        JSONB       NOT NULL,
    requested_at     TIMESTAMPTZ NOT NULL,
    processed_at     TIMESTAMPTZ,
    processed_by     TEXT,
    process_reason   TEXT,
    auto_approved    BOOLEAN     NOT NULL,
    grant_id         UUID
);

CREATE INDEX jit_request_tenant_time ON jit_request (tenant_id, requested_at);

CREATE TABLE jit_grant (
    grant_id      UUID PRIMARY KEY,
    tenant_id     TEXT        NOT NULL,
    request_id    UUID        NOT NULL REFERENCES jit_request (request_id),
    principal_id  TEXT        NOT NULL,
    resource_type TEXT        NOT NULL,
    resource_id   TEXT        NOT NULL,
    permissions   JSONB       NOT NULL,
    granted_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ,
    revoked_by    TEXT,
    revoke_reason TEXT
);

CREATE INDEX jit_grant_tenant_principal ON jit_grant (tenant_id, principal_id, expires_at);
CREATE INDEX jit_grant_tenant_expiry ON jit_grant (tenant_id, expires_at);
