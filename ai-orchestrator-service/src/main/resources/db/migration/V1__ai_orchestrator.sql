-- The tenant's model registry: each model with its lifecycle (registered -> active -> deprecated).
CREATE TABLE model (
    model_id             UUID PRIMARY KEY,
    tenant_id            TEXT        NOT NULL,
    name                 TEXT        NOT NULL,
    version              TEXT        NOT NULL,
    type                 TEXT        NOT NULL,
    provider             TEXT        NOT NULL,
    model_path           TEXT,
    config_path          TEXT,
    description          TEXT,
    tags                 JSONB       NOT NULL,
    license              TEXT,
    status               TEXT        NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    activated_at         TIMESTAMPTZ,
    deprecated_at        TIMESTAMPTZ,
    deprecation_reason   TEXT,
    replacement_model_id UUID,
    CONSTRAINT model_version_unique UNIQUE (tenant_id, name, version)
);
CREATE INDEX model_tenant ON model (tenant_id, created_at);

-- Deployments of active models, with the configuration they were requested with.
CREATE TABLE deployment (
    deployment_id UUID PRIMARY KEY,
    tenant_id     TEXT        NOT NULL,
    model_id      UUID        NOT NULL REFERENCES model (model_id),
    version       TEXT        NOT NULL,
    config        JSONB       NOT NULL,
    status        TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX deployment_model ON deployment (tenant_id, model_id);

-- Inference usage recorded for a tenant's models: tokens, latency and what the provider charged.
CREATE TABLE model_usage (
    usage_id      UUID PRIMARY KEY,
    tenant_id     TEXT             NOT NULL,
    model_id      UUID             NOT NULL REFERENCES model (model_id),
    deployment_id UUID,
    user_id       TEXT             NOT NULL,
    input_tokens  BIGINT           NOT NULL,
    output_tokens BIGINT           NOT NULL,
    latency_ms    BIGINT           NOT NULL,
    cost          NUMERIC(18, 6)   NOT NULL,
    prompt_hash   TEXT,
    occurred_at   TIMESTAMPTZ      NOT NULL
);
CREATE INDEX model_usage_tenant_time ON model_usage (tenant_id, occurred_at);

-- Bias evaluations: the dataset they run over and, once run, what they found.
CREATE TABLE bias_evaluation (
    evaluation_id         UUID PRIMARY KEY,
    tenant_id             TEXT        NOT NULL,
    model_id              UUID        NOT NULL REFERENCES model (model_id),
    evaluation_type       TEXT        NOT NULL,
    dataset_source        TEXT        NOT NULL,
    dataset_csv           TEXT        NOT NULL,
    sample_size           INTEGER,
    protected_attributes  JSONB       NOT NULL,
    status                TEXT        NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    started_at            TIMESTAMPTZ,
    completed_at          TIMESTAMPTZ,
    metric_value          DOUBLE PRECISION,
    result                JSONB,
    failure               TEXT
);
CREATE INDEX bias_evaluation_tenant ON bias_evaluation (tenant_id, created_at DESC);

-- Tenant-defined prompt-injection patterns.
CREATE TABLE injection_pattern (
    pattern_id UUID PRIMARY KEY,
    tenant_id  TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    pattern    TEXT        NOT NULL,
    category   TEXT        NOT NULL,
    severity   TEXT        NOT NULL,
    enabled    BOOLEAN     NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX injection_pattern_tenant ON injection_pattern (tenant_id, created_at);

-- The outcome of each prompt analysis (never the prompt itself): what the statistics are computed from.
CREATE TABLE injection_analysis (
    analysis_id     UUID PRIMARY KEY,
    tenant_id       TEXT        NOT NULL,
    risk_score      INTEGER     NOT NULL,
    recommendation  TEXT        NOT NULL,
    categories      JSONB       NOT NULL,
    detection_count INTEGER     NOT NULL,
    analyzed_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX injection_analysis_tenant ON injection_analysis (tenant_id, analyzed_at);
