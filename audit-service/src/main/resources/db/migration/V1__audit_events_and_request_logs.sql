-- Events are stored by their id: a redelivered stream message can never add a second row.
CREATE TABLE audit_event (
    event_id      uuid          PRIMARY KEY,
    tenant_id     varchar(200),
    occurred_at   timestamptz   NOT NULL,
    actor         varchar(500),
    action        varchar(200)  NOT NULL,
    resource_type varchar(200),
    resource_id   varchar(500),
    outcome       varchar(50),
    request_id    varchar(200),
    service       varchar(200),
    details       jsonb         NOT NULL DEFAULT '{}',
    received_at   timestamptz   NOT NULL DEFAULT now()
);

CREATE INDEX audit_event_tenant_time ON audit_event (tenant_id, occurred_at DESC, event_id DESC);

CREATE TABLE request_log (
    event_id     uuid           PRIMARY KEY,
    tenant_id    varchar(200),
    occurred_at  timestamptz    NOT NULL,
    method       varchar(16)    NOT NULL,
    path         varchar(2048)  NOT NULL,
    status_code  integer        NOT NULL,
    duration_ms  bigint         NOT NULL,
    key_id       varchar(200),
    ip_address   varchar(100),
    user_agent   varchar(512),
    rate_limited boolean        NOT NULL,
    request_id   varchar(200),
    received_at  timestamptz    NOT NULL DEFAULT now()
);

CREATE INDEX request_log_tenant_time ON request_log (tenant_id, occurred_at DESC, event_id DESC);
CREATE INDEX request_log_tenant_key_time ON request_log (tenant_id, key_id, occurred_at DESC);
