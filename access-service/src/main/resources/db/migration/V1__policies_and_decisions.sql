-- A tenant's access policies. Patterns and conditions are kept as written (JSON); the service compiles them.
CREATE TABLE access_policy (
    policy_id   UUID PRIMARY KEY,
    tenant_id   TEXT        NOT NULL,
    name        TEXT        NOT NULL,
    description TEXT,
    effect      TEXT        NOT NULL CHECK (effect IN ('allow', 'deny')),
    principals  JSONB       NOT NULL,
    resources   JSONB       NOT NULL,
    actions     JSONB       NOT NULL,
    conditions  JSONB       NOT NULL,
    revision    INTEGER     NOT NULL CHECK (revision > 0),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT        NOT NULL,
    updated_by  TEXT        NOT NULL
);

CREATE UNIQUE INDEX access_policy_tenant_name ON access_policy (tenant_id, lower(name));
CREATE INDEX access_policy_tenant_created ON access_policy (tenant_id, created_at, policy_id);

-- Every change to a policy, with its content before and after: the policy history drift and escalation anomalies
-- are derived from.
CREATE TABLE access_policy_change (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   TEXT        NOT NULL,
    policy_id   UUID        NOT NULL,
    policy_name TEXT        NOT NULL,
    change_type TEXT        NOT NULL CHECK (change_type IN ('create', 'update', 'delete')),
    before      JSONB,
    after       JSONB,
    changed_by  TEXT        NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX access_policy_change_tenant_time ON access_policy_change (tenant_id, changed_at);

-- One counter per tenant, raised in the same transaction as any change to what its decisions depend on (policies,
-- JIT grants). Instances compare it (mirrored in Redis) with the version of their cached copy.
CREATE TABLE access_tenant_version (
    tenant_id TEXT PRIMARY KEY,
    version   BIGINT NOT NULL CHECK (version > 0)
);

-- The decision log: one row per run-time check, written in batches off the request path.
CREATE TABLE access_decision (
    id                  BIGSERIAL PRIMARY KEY,
    tenant_id           TEXT        NOT NULL,
    principal_type      TEXT        NOT NULL,
    principal_id        TEXT        NOT NULL,
    principal_groups    JSONB       NOT NULL,
    resource_type       TEXT        NOT NULL,
    resource_id         TEXT        NOT NULL,
    resource_attributes JSONB       NOT NULL,
    action              TEXT        NOT NULL,
    environment         JSONB       NOT NULL,
    -- the moment the request asked about, when it named one; otherwise the decision was about decided_at
    requested_time      TIMESTAMPTZ,
    decision            TEXT        NOT NULL CHECK (decision IN ('allow', 'deny')),
    policies            JSONB       NOT NULL,
    decided_at          TIMESTAMPTZ NOT NULL
);

CREATE INDEX access_decision_tenant_time ON access_decision (tenant_id, decided_at);
CREATE INDEX access_decision_principal ON access_decision (principal_id, tenant_id);
