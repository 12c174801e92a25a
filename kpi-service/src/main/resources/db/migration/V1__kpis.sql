-- A tenant's KPIs: one row per KPI, its contract versions beside it. Published contracts never change.
CREATE TABLE kpi_definition (
    tenant_id      varchar(200) NOT NULL,
    kpi            varchar(100) NOT NULL,
    latest_version integer      NOT NULL,
    created_at     timestamptz  NOT NULL,
    PRIMARY KEY (tenant_id, kpi)
);

CREATE TABLE kpi_contract (
    tenant_id   varchar(200)  NOT NULL,
    kpi         varchar(100)  NOT NULL,
    version     integer       NOT NULL,
    description varchar(500),
    unit        varchar(32),
    aggregation varchar(16)   NOT NULL,
    dimensions  varchar(64)[] NOT NULL,
    created_at  timestamptz   NOT NULL,
    created_by  varchar(500),
    PRIMARY KEY (tenant_id, kpi, version),
    FOREIGN KEY (tenant_id, kpi) REFERENCES kpi_definition (tenant_id, kpi)
);

-- Every sample of every series: a KPI's value at an instant with its dimensions. source_key makes a sample that
-- arrives twice (an event redelivered, an ingest retried with its sample ids) count once.
CREATE TABLE kpi_sample (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   varchar(200)     NOT NULL,
    kpi         varchar(100)     NOT NULL,
    ts          timestamptz      NOT NULL,
    value       double precision NOT NULL,
    dimensions  jsonb            NOT NULL DEFAULT '{}'::jsonb,
    source_key  varchar(300),
    ingested_at timestamptz      NOT NULL DEFAULT now()
);

CREATE INDEX kpi_sample_series ON kpi_sample (tenant_id, kpi, ts);
CREATE UNIQUE INDEX kpi_sample_source ON kpi_sample (tenant_id, kpi, source_key) WHERE source_key IS NOT NULL;
CREATE INDEX kpi_sample_dimensions ON kpi_sample USING gin (dimensions jsonb_path_ops);

-- The values each dimension has taken, kept as samples arrive so that listing them never scans the samples.
CREATE TABLE kpi_dimension_value (
    tenant_id  varchar(200) NOT NULL,
    name       varchar(64)  NOT NULL,
    value      varchar(256) COLLATE "C" NOT NULL,
    kpi        varchar(100) NOT NULL,
    first_seen timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name, value, kpi)
);

CREATE INDEX kpi_dimension_value_by_kpi ON kpi_dimension_value (tenant_id, kpi, name, value);

-- X-Request-Id as an idempotency key: the first answer to a tenant's request id, with the fingerprint of the request
-- it answered. A row without a status is a request still being served (claimed at claimed_at).
CREATE TABLE idempotent_request (
    tenant_id    varchar(200) NOT NULL,
    request_id   varchar(128) NOT NULL,
    fingerprint  bytea        NOT NULL,
    claimed_at   timestamptz  NOT NULL,
    status       integer,
    content_type varchar(200),
    body         bytea,
    expires_at   timestamptz  NOT NULL,
    PRIMARY KEY (tenant_id, request_id)
);

CREATE INDEX idempotent_request_expiry ON idempotent_request (expires_at);
