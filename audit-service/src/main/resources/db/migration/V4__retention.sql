-- Retention policies of a tenant, or (tenant_id NULL) of the platform operator, whose policies cover every tenant.
CREATE TABLE retention_policy (
    policy_id           uuid          PRIMARY KEY,
    tenant_id           varchar(200),
    name                varchar(200)  NOT NULL,
    retention_period    varchar(50)   NOT NULL,
    event_types         text[]        NOT NULL DEFAULT '{}',
    services            text[]        NOT NULL DEFAULT '{}',
    archive_enabled     boolean       NOT NULL DEFAULT false,
    archive_destination varchar(200),
    created_at          timestamptz   NOT NULL
);

-- One name per owner, regardless of case; the platform's policies (no tenant) share one namespace too.
CREATE UNIQUE INDEX retention_policy_owner_name ON retention_policy (tenant_id, lower(name)) NULLS NOT DISTINCT;

-- Every cleanup, dry or real. No foreign key to the policy: the record outlives a deleted policy.
CREATE TABLE retention_execution (
    execution_id     uuid          PRIMARY KEY,
    tenant_id        varchar(200),
    policy_id        uuid          NOT NULL,
    policy_name      varchar(200)  NOT NULL,
    dry_run          boolean       NOT NULL,
    cutoff           timestamptz   NOT NULL,
    events_processed bigint        NOT NULL,
    events_deleted   bigint        NOT NULL,
    events_archived  bigint        NOT NULL,
    bytes_reclaimed  bigint        NOT NULL,
    archive_file     varchar(1000),
    started_at       timestamptz   NOT NULL,
    finished_at      timestamptz   NOT NULL
);

CREATE INDEX retention_execution_owner_time ON retention_execution (tenant_id, started_at DESC);

-- What each real cleanup deleted of each tenant's events (tenant_id NULL: events of no tenant). A tenant's policy
-- touches only its own events; a platform policy may touch many tenants, and each sees its share in its savings.
CREATE TABLE retention_reclaimed (
    execution_id    uuid          NOT NULL REFERENCES retention_execution ON DELETE CASCADE,
    tenant_id       varchar(200),
    events_deleted  bigint        NOT NULL,
    bytes_reclaimed bigint        NOT NULL,
    CONSTRAINT retention_reclaimed_once UNIQUE NULLS NOT DISTINCT (execution_id, tenant_id)
);

CREATE INDEX retention_reclaimed_tenant ON retention_reclaimed (tenant_id);
