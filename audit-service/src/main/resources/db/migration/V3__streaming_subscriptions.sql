-- Streaming subscriptions: which of a tenant's audit events go where (webhook, kafka, sqs). Secrets of the
-- destination (webhook signing secret and header values, SQS secret access key) are sealed in destination_secrets;
-- destination_config holds only what may be shown back.
CREATE TABLE stream_subscription (
    subscription_id     varchar(40)   PRIMARY KEY,
    tenant_id           varchar(200),
    name                varchar(200)  NOT NULL,
    status              varchar(20)   NOT NULL,
    filters             jsonb         NOT NULL,
    destination_type    varchar(20)   NOT NULL,
    destination_config  jsonb         NOT NULL,
    destination_secrets bytea,
    created_at          timestamptz   NOT NULL,
    updated_at          timestamptz   NOT NULL
);

CREATE INDEX stream_subscription_tenant ON stream_subscription (tenant_id, status);

-- Events streamed (SSE) and delivered (webhook, kafka, sqs) per tenant and subscription, for the streaming
-- metrics. tenant_key is '' for platform-level events, subscription_id '' for SSE streams without a subscription.
-- Rows outlive their subscription, so a tenant's total keeps counting what deleted subscriptions carried.
CREATE TABLE stream_counter (
    tenant_key       varchar(200)  NOT NULL,
    subscription_id  varchar(40)   NOT NULL,
    events_streamed  bigint        NOT NULL DEFAULT 0,
    events_delivered bigint        NOT NULL DEFAULT 0,
    last_event_at    timestamptz,
    PRIMARY KEY (tenant_key, subscription_id)
);
