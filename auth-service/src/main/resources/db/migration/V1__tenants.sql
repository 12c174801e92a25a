-- Tenants and the OAuth clients that act for them.
CREATE TABLE tenant (
    id         TEXT        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name       TEXT        NOT NULL,
    plan       TEXT        NOT NULL,
    add_ons    TEXT[]      NOT NULL DEFAULT '{}',
    quotas     JSONB       NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Which tenant a registered client belongs to and which platform roles its tokens carry.
CREATE TABLE tenant_client (
    client_id  TEXT        PRIMARY KEY,
    tenant_id  TEXT        NOT NULL REFERENCES tenant (id),
    name       TEXT        NOT NULL,
    roles      TEXT[]      NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX tenant_client_tenant ON tenant_client (tenant_id, created_at);
