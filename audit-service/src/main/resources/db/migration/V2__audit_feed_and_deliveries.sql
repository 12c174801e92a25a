-- A commit-ordered position for every stored audit event: the live feed and SSE resumption read by it.
ALTER TABLE audit_event ADD COLUMN seq bigserial;
CREATE UNIQUE INDEX audit_event_seq ON audit_event (seq);

-- info | warning | error | critical, derived at ingestion from the outcome or given by the publisher.
ALTER TABLE audit_event ADD COLUMN severity varchar(20) NOT NULL DEFAULT 'info';

-- Outgoing deliveries (webhooks, kafka, sqs) of one message to one destination owned by a subscription or a
-- DataHub webhook. A row is written in the transaction that stored the event, so a committed event is never
-- without its deliveries; the worker sends, retries with backoff and records every attempt.
CREATE TABLE delivery (
    delivery_id      varchar(40)   PRIMARY KEY,
    tenant_id        varchar(200),
    owner_kind       varchar(40)   NOT NULL,
    owner_id         varchar(64)   NOT NULL,
    event_id         uuid,
    event_type       varchar(200)  NOT NULL,
    payload          text          NOT NULL,
    status           varchar(20)   NOT NULL,
    attempts         integer       NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    last_status_code integer,
    last_duration_ms bigint,
    last_error       varchar(500),
    created_at       timestamptz   NOT NULL DEFAULT now(),
    completed_at     timestamptz
);

-- One delivery per owner and event: a redelivered event never queues a second one.
CREATE UNIQUE INDEX delivery_owner_event ON delivery (owner_kind, owner_id, event_id) WHERE event_id IS NOT NULL;
CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX delivery_owner_time ON delivery (owner_kind, owner_id, created_at DESC, delivery_id DESC);

CREATE TABLE delivery_attempt (
    delivery_id  varchar(40)  NOT NULL REFERENCES delivery (delivery_id) ON DELETE CASCADE,
    attempt      integer      NOT NULL,
    attempted_at timestamptz  NOT NULL,
    succeeded    boolean      NOT NULL,
    status_code  integer,
    duration_ms  bigint       NOT NULL,
    error        varchar(500),
    PRIMARY KEY (delivery_id, attempt)
);
