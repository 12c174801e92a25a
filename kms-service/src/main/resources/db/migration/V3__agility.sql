-- Crypto-agility migration plans: a tenant's plan to move keys to target algorithms. Its progress is never
-- stored: it is computed from the keys themselves (a key counts as migrated when its current version uses a target).
CREATE TABLE migration_plan (
    plan_id             UUID PRIMARY KEY,
    tenant_id           TEXT        NOT NULL,
    name                TEXT        NOT NULL,
    description         TEXT,
    status              TEXT        NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'completed', 'cancelled')),
    target_encryption   TEXT,
    target_signing      TEXT,
    target_key_exchange TEXT,
    -- {"keyIds": [...], "keyTypes": [...]}: the keys named, and every key that ever had a version of a key type
    scope               JSONB       NOT NULL,
    -- {"startDate": ..., "phases": [{"name", "duration", "actions"}]}, or NULL without a schedule
    schedule            JSONB,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    CHECK (target_encryption IS NOT NULL OR target_signing IS NOT NULL OR target_key_exchange IS NOT NULL)
);

CREATE INDEX migration_plan_tenant_created ON migration_plan (tenant_id, created_at, plan_id);

-- Every status change of a plan, in order: who moved it is in the audit log, what it moved through is here.
CREATE TABLE migration_plan_transition (
    plan_id     UUID        NOT NULL REFERENCES migration_plan (plan_id) ON DELETE CASCADE,
    from_status TEXT        NOT NULL,
    to_status   TEXT        NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX migration_plan_transition_plan ON migration_plan_transition (plan_id, changed_at);
