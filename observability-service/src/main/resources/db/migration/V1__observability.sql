-- Request metrics per tenant per minute, aggregated from the gateway's request log.
CREATE TABLE request_minute (
    tenant_id        varchar(200) NOT NULL,
    minute           timestamptz  NOT NULL,
    requests         bigint       NOT NULL DEFAULT 0,
    server_errors    bigint       NOT NULL DEFAULT 0,
    client_errors    bigint       NOT NULL DEFAULT 0,
    rate_limited     bigint       NOT NULL DEFAULT 0,
    duration_sum_ms  bigint       NOT NULL DEFAULT 0,
    duration_max_ms  bigint       NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, minute)
);
CREATE INDEX request_minute_by_minute ON request_minute (minute);

CREATE TABLE anomaly_rule (
    rule_id               uuid          PRIMARY KEY,
    tenant_id             varchar(200)  NOT NULL,
    name                  varchar(200)  NOT NULL,
    metric                varchar(100)  NOT NULL,
    condition_type        varchar(20)   NOT NULL,
    parameters            jsonb         NOT NULL,
    sensitivity           varchar(10)   NOT NULL,
    notification_channels text[]        NOT NULL,
    created_by            varchar(200)  NOT NULL,
    created_at            timestamptz   NOT NULL,
    UNIQUE (tenant_id, name)
);

-- One anomaly per rule and evaluated minute: evaluating a minute twice (two instances, a retry) records it once.
CREATE TABLE anomaly (
    anomaly_id     uuid             PRIMARY KEY,
    tenant_id      varchar(200)     NOT NULL,
    rule_id        uuid             NOT NULL REFERENCES anomaly_rule (rule_id),
    metric         varchar(100)     NOT NULL,
    severity       varchar(10)      NOT NULL,
    status         varchar(20)      NOT NULL,
    window_start   timestamptz      NOT NULL,
    observed_value double precision NOT NULL,
    expected_value double precision,
    score          double precision,
    explanation    varchar(500)     NOT NULL,
    detected_at    timestamptz      NOT NULL,
    resolved_at    timestamptz,
    UNIQUE (rule_id, window_start)
);
CREATE INDEX anomaly_by_tenant ON anomaly (tenant_id, detected_at DESC);

CREATE TABLE dashboard (
    dashboard_id  uuid          PRIMARY KEY,
    tenant_id     varchar(200)  NOT NULL,
    name          varchar(200)  NOT NULL,
    description   varchar(2000),
    layout_columns integer      NOT NULL,
    layout_rows   integer       NOT NULL,
    panels        jsonb         NOT NULL,
    owner         varchar(200)  NOT NULL,
    starred       boolean       NOT NULL,
    shared        boolean       NOT NULL,
    created_at    timestamptz   NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE cost_allocation (
    allocation_id  uuid           PRIMARY KEY,
    tenant_id      varchar(200)   NOT NULL,
    resource_id    varchar(200)   NOT NULL,
    resource_type  varchar(100)   NOT NULL,
    cost_center    varchar(200)   NOT NULL,
    amount         numeric(20, 6) NOT NULL,
    currency       char(3)        NOT NULL,
    period_start   timestamptz    NOT NULL,
    period_end     timestamptz    NOT NULL,
    tags           jsonb          NOT NULL,
    recorded_by    varchar(200)   NOT NULL,
    recorded_at    timestamptz    NOT NULL
);
CREATE INDEX cost_allocation_by_tenant ON cost_allocation (tenant_id, period_start);

CREATE TABLE budget (
    budget_id       uuid           PRIMARY KEY,
    tenant_id       varchar(200)   NOT NULL,
    name            varchar(200)   NOT NULL,
    amount          numeric(20, 6) NOT NULL,
    currency        char(3)        NOT NULL,
    period          varchar(10)    NOT NULL,
    cost_centers    text[]         NOT NULL,
    resource_types  text[]         NOT NULL,
    alerts          jsonb          NOT NULL,
    created_by      varchar(200)   NOT NULL,
    created_at      timestamptz    NOT NULL,
    UNIQUE (tenant_id, name)
);

-- A budget's threshold crossed in one of its periods, recorded once per budget, threshold and period.
CREATE TABLE budget_alert (
    alert_id      uuid           PRIMARY KEY,
    tenant_id     varchar(200)   NOT NULL,
    budget_id     uuid           NOT NULL REFERENCES budget (budget_id),
    threshold     numeric(8, 2)  NOT NULL,
    period_start  timestamptz    NOT NULL,
    period_end    timestamptz    NOT NULL,
    spent         numeric(20, 6) NOT NULL,
    budget_amount numeric(20, 6) NOT NULL,
    breached_at   timestamptz    NOT NULL,
    UNIQUE (budget_id, threshold, period_start)
);
CREATE INDEX budget_alert_by_tenant ON budget_alert (tenant_id, period_start);
