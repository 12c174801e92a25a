-- DataHub webhooks (spec 003): a tenant's subscriptions to platform events. Their deliveries live in the shared
-- delivery queue with owner kind 'datahub-webhook' and owner id webhook_id. The signing secret is only ever stored
-- sealed (AES-GCM under qnsp.audit.deliveries.secret-encryption-key), never in plain text.
CREATE TABLE datahub_webhook (
    webhook_id    varchar(40)   PRIMARY KEY,
    tenant_id     varchar(200)  NOT NULL,
    name          varchar(100)  NOT NULL,
    url           varchar(2048) NOT NULL,
    events        text[]        NOT NULL,
    headers       jsonb         NOT NULL DEFAULT '{}',
    secret_sealed bytea         NOT NULL,
    active        boolean       NOT NULL DEFAULT true,
    created_by    varchar(500),
    created_at    timestamptz   NOT NULL,
    updated_at    timestamptz   NOT NULL
);

-- A tenant's webhooks newest first (the list), and the active ones of a tenant (queueing an event's deliveries).
CREATE INDEX datahub_webhook_tenant ON datahub_webhook (tenant_id, created_at DESC, webhook_id DESC);
