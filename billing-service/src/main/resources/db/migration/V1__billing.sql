-- Every amount is an exact decimal in the invoice's or credit's currency; unit prices keep up to six places.

CREATE TABLE account (
    tenant_id         varchar(200) PRIMARY KEY,
    plan              varchar(100) NOT NULL,
    status            varchar(20)  NOT NULL CHECK (status IN ('active', 'suspended', 'cancelled')),
    status_reason     varchar(20),
    status_changed_at timestamptz,
    payment_method    varchar(200),
    created_at        timestamptz  NOT NULL,
    updated_at        timestamptz  NOT NULL
);
CREATE INDEX account_status ON account (status) WHERE status <> 'active';

CREATE TABLE invoice (
    invoice_id      uuid PRIMARY KEY,
    tenant_id       varchar(200)   NOT NULL,
    period_start    timestamptz    NOT NULL,
    period_end      timestamptz    NOT NULL,
    currency        char(3)        NOT NULL,
    plan            varchar(100)   NOT NULL,
    plan_fee        numeric(20, 6) NOT NULL DEFAULT 0,
    status          varchar(20)    NOT NULL CHECK (status IN ('open', 'due', 'paid', 'past_due')),
    credits_applied numeric(20, 6) NOT NULL DEFAULT 0,
    amount_due      numeric(20, 6),
    created_at      timestamptz    NOT NULL,
    finalized_at    timestamptz,
    paid_at         timestamptz,
    UNIQUE (tenant_id, period_start)
);
CREATE INDEX invoice_open_by_end ON invoice (period_end) WHERE status = 'open';
CREATE INDEX invoice_by_period ON invoice (period_start);

-- one line per billable operation: the period's units, and their charge under the invoice's plan
CREATE TABLE invoice_line (
    invoice_id uuid           NOT NULL REFERENCES invoice (invoice_id),
    operation  varchar(200)   NOT NULL,
    service    varchar(200)   NOT NULL,
    quantity   bigint         NOT NULL,
    included   bigint         NOT NULL,
    unit_price numeric(20, 6) NOT NULL,
    amount     numeric(20, 6) NOT NULL,
    listed     boolean        NOT NULL,
    PRIMARY KEY (invoice_id, operation)
);

-- each usage event once, by its id, with the invoice it was rated into
CREATE TABLE usage_event (
    event_id    uuid PRIMARY KEY,
    tenant_id   varchar(200) NOT NULL,
    operation   varchar(200) NOT NULL,
    service     varchar(200),
    quantity    bigint       NOT NULL,
    occurred_at timestamptz  NOT NULL,
    principal   varchar(500),
    request_id  varchar(200),
    invoice_id  uuid         NOT NULL REFERENCES invoice (invoice_id),
    received_at timestamptz  NOT NULL
);
CREATE INDEX usage_event_invoice ON usage_event (invoice_id, operation);
CREATE INDEX usage_event_received ON usage_event (received_at);

-- the history forecasts read: units per tenant, operation and UTC day
CREATE TABLE usage_daily (
    tenant_id varchar(200) NOT NULL,
    operation varchar(200) NOT NULL,
    day       date         NOT NULL,
    quantity  bigint       NOT NULL,
    PRIMARY KEY (tenant_id, operation, day)
);

CREATE TABLE promotion (
    promotion_id          uuid PRIMARY KEY,
    code                  varchar(64)    NOT NULL UNIQUE,
    description           varchar(500),
    credit_amount         numeric(20, 6) NOT NULL,
    currency              char(3)        NOT NULL,
    credit_validity_days  integer,
    max_redemptions       integer,
    redemptions           integer        NOT NULL DEFAULT 0,
    expires_at            timestamptz,
    created_at            timestamptz    NOT NULL,
    created_by            varchar(500)   NOT NULL
);

CREATE TABLE credit (
    credit_id    uuid PRIMARY KEY,
    tenant_id    varchar(200)   NOT NULL,
    type         varchar(20)    NOT NULL CHECK (type IN ('promotional', 'refund', 'goodwill', 'referral')),
    amount       numeric(20, 6) NOT NULL CHECK (amount > 0),
    remaining    numeric(20, 6) NOT NULL CHECK (remaining >= 0),
    currency     char(3)        NOT NULL,
    expires_at   timestamptz,
    reason       varchar(500)   NOT NULL,
    promotion_id uuid REFERENCES promotion (promotion_id),
    created_at   timestamptz    NOT NULL,
    created_by   varchar(500)   NOT NULL
);
CREATE INDEX credit_usable ON credit (tenant_id, expires_at) WHERE remaining > 0;

CREATE TABLE promotion_redemption (
    promotion_id uuid         NOT NULL REFERENCES promotion (promotion_id),
    tenant_id    varchar(200) NOT NULL,
    credit_id    uuid         NOT NULL REFERENCES credit (credit_id),
    redeemed_at  timestamptz  NOT NULL,
    redeemed_by  varchar(500) NOT NULL,
    PRIMARY KEY (promotion_id, tenant_id)
);

CREATE TABLE credit_application (
    credit_id  uuid           NOT NULL REFERENCES credit (credit_id),
    invoice_id uuid           NOT NULL REFERENCES invoice (invoice_id),
    amount     numeric(20, 6) NOT NULL CHECK (amount > 0),
    applied_at timestamptz    NOT NULL,
    PRIMARY KEY (credit_id, invoice_id)
);
CREATE INDEX credit_application_invoice ON credit_application (invoice_id);

CREATE TABLE payment (
    payment_id         uuid PRIMARY KEY,
    tenant_id          varchar(200)   NOT NULL,
    invoice_id         uuid           NOT NULL UNIQUE REFERENCES invoice (invoice_id),
    amount             numeric(20, 6) NOT NULL CHECK (amount > 0),
    currency           char(3)        NOT NULL,
    provider           varchar(100)   NOT NULL,
    status             varchar(20)    NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    created_at         timestamptz    NOT NULL,
    failed_at          timestamptz,
    last_attempt_at    timestamptz,
    last_failure_code  varchar(100),
    retry_count        integer        NOT NULL DEFAULT 0,
    automatic_retries  integer        NOT NULL DEFAULT 0,
    transient_streak   integer        NOT NULL DEFAULT 0,
    next_retry_at      timestamptz,
    retries_stopped    boolean        NOT NULL DEFAULT false,
    succeeded_at       timestamptz
);
CREATE INDEX payment_to_collect ON payment (next_retry_at) WHERE status = 'failed';
CREATE INDEX payment_pending ON payment (created_at) WHERE status = 'pending';
CREATE INDEX payment_failed_by_tenant ON payment (tenant_id, failed_at) WHERE status = 'failed';

CREATE TABLE payment_attempt (
    payment_id         uuid         NOT NULL REFERENCES payment (payment_id),
    attempt_no         integer      NOT NULL,
    attempted_at       timestamptz  NOT NULL,
    trigger            varchar(20)  NOT NULL CHECK (trigger IN ('initial', 'automatic_retry', 'manual_retry')),
    payment_method     varchar(200),
    outcome            varchar(20)  NOT NULL CHECK (outcome IN ('succeeded', 'declined', 'transient_failure')),
    code               varchar(100),
    message            varchar(500),
    provider_reference varchar(200),
    PRIMARY KEY (payment_id, attempt_no)
);

CREATE TABLE dunning_schedule (
    schedule_id uuid PRIMARY KEY,
    tenant_id   varchar(200) NOT NULL,
    steps       jsonb        NOT NULL,
    created_at  timestamptz  NOT NULL,
    created_by  varchar(500) NOT NULL
);
CREATE INDEX dunning_schedule_latest ON dunning_schedule (tenant_id, created_at DESC);

-- a failed payment under dunning: the schedule in force when it failed, followed from its first failure
CREATE TABLE dunning_case (
    payment_id  uuid PRIMARY KEY REFERENCES payment (payment_id),
    tenant_id   varchar(200) NOT NULL,
    schedule_id uuid REFERENCES dunning_schedule (schedule_id),
    steps       jsonb        NOT NULL,
    started_at  timestamptz  NOT NULL,
    stopped_at  timestamptz,
    stop_reason varchar(20)
);
CREATE INDEX dunning_case_open ON dunning_case (started_at) WHERE stopped_at IS NULL;

CREATE TABLE dunning_action (
    payment_id        uuid         NOT NULL REFERENCES dunning_case (payment_id),
    step_index        integer      NOT NULL,
    day_after_failure integer      NOT NULL,
    action            varchar(20)  NOT NULL,
    template          varchar(100),
    due_at            timestamptz  NOT NULL,
    executed_at       timestamptz  NOT NULL,
    outcome           varchar(200) NOT NULL,
    PRIMARY KEY (payment_id, step_index)
);
