-- Simulations and impact analyses a tenant ran: the history, and the full answer of each impact analysis so its
-- analysisId can be fetched again.
CREATE TABLE access_simulation (
    simulation_id UUID PRIMARY KEY,
    tenant_id     TEXT        NOT NULL,
    type          TEXT        NOT NULL CHECK (type IN ('single', 'batch', 'impact')),
    requested_by  TEXT        NOT NULL,
    requested_at  TIMESTAMPTZ NOT NULL,
    summary       JSONB       NOT NULL,
    result        JSONB
);

CREATE INDEX access_simulation_tenant_time ON access_simulation (tenant_id, requested_at DESC, simulation_id);
