-- The index: one row per searchable record, partitioned by index name so that each index is a relation of its own
-- (its own GIN index, its own size, statistics and maintenance). The tsvector is computed by PostgreSQL from the
-- stored text, title words weighing more than body words.
CREATE TABLE document (
    document_id uuid         NOT NULL,
    index_name  varchar(40)  NOT NULL,
    tenant_id   varchar(200) NOT NULL,
    source_id   varchar(200) NOT NULL,
    title       text         NOT NULL,
    body        text         NOT NULL,
    occurred_at timestamptz  NOT NULL,
    indexed_at  timestamptz  NOT NULL,
    tsv         tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')
                ) STORED,
    PRIMARY KEY (index_name, document_id),
    UNIQUE (index_name, tenant_id, source_id)
) PARTITION BY LIST (index_name);

CREATE TABLE document_audit_events PARTITION OF document FOR VALUES IN ('audit-events');
CREATE TABLE document_request_logs PARTITION OF document FOR VALUES IN ('request-logs');
CREATE TABLE document_api_keys PARTITION OF document FOR VALUES IN ('api-keys');
CREATE TABLE document_secrets PARTITION OF document FOR VALUES IN ('secrets');

CREATE INDEX document_tsv ON document USING gin (tsv);
CREATE INDEX document_tenant ON document (tenant_id, occurred_at DESC);

-- A copy of one tenant's documents of one index, taken by a backup maintenance window.
CREATE TABLE document_backup (
    window_id   uuid         NOT NULL,
    index_name  varchar(40)  NOT NULL,
    tenant_id   varchar(200) NOT NULL,
    document_id uuid         NOT NULL,
    source_id   varchar(200) NOT NULL,
    title       text         NOT NULL,
    body        text         NOT NULL,
    occurred_at timestamptz  NOT NULL,
    PRIMARY KEY (window_id, index_name, document_id)
);

CREATE TABLE synonym_group (
    group_id    uuid         PRIMARY KEY,
    tenant_id   varchar(200) NOT NULL,
    name        varchar(200) NOT NULL,
    type        varchar(20)  NOT NULL CHECK (type IN ('equivalent', 'one_way')),
    terms       text[]       NOT NULL,
    index_names text[]       NOT NULL,
    created_by  varchar(200),
    created_at  timestamptz  NOT NULL,
    UNIQUE (tenant_id, name)
);

-- Every query run through the query endpoint, with the documents of the page it returned (click positions come
-- from there).
CREATE TABLE search_query (
    query_id     uuid             PRIMARY KEY,
    tenant_id    varchar(200)     NOT NULL,
    principal    varchar(200),
    query        text             NOT NULL,
    index_name   varchar(40),
    result_count integer          NOT NULL,
    result_ids   uuid[]           NOT NULL,
    result_offset integer         NOT NULL,
    latency_ms   double precision NOT NULL,
    searched_at  timestamptz      NOT NULL
);
CREATE INDEX search_query_tenant ON search_query (tenant_id, searched_at);

CREATE TABLE search_click (
    query_id    uuid         NOT NULL REFERENCES search_query (query_id) ON DELETE CASCADE,
    document_id uuid         NOT NULL,
    tenant_id   varchar(200) NOT NULL,
    position    integer      NOT NULL CHECK (position > 0),
    clicked_at  timestamptz  NOT NULL,
    PRIMARY KEY (query_id, document_id)
);

CREATE TABLE maintenance_window (
    window_id        uuid         PRIMARY KEY,
    tenant_id        varchar(200) NOT NULL,
    index_names      text[]       NOT NULL,
    maintenance_type varchar(20)  NOT NULL CHECK (maintenance_type IN ('optimize', 'reindex', 'backup')),
    scheduled_at     timestamptz  NOT NULL,
    duration_seconds bigint       NOT NULL,
    status           varchar(20)  NOT NULL CHECK (status IN ('scheduled', 'running', 'completed', 'failed')),
    started_at       timestamptz,
    finished_at      timestamptz,
    outcome          text,
    created_at       timestamptz  NOT NULL
);
CREATE INDEX maintenance_window_due ON maintenance_window (scheduled_at) WHERE status = 'scheduled';

CREATE TABLE isolation_verification (
    verification_id uuid         PRIMARY KEY,
    tenant_id       varchar(200) NOT NULL,
    test_type       varchar(20)  NOT NULL,
    sample_size     integer      NOT NULL,
    passed          boolean      NOT NULL,
    tests           text         NOT NULL,
    ran_at          timestamptz  NOT NULL
);
