-- Usage alert rules: a condition on one metric of the operation log (key_operation) over a sliding window, watching
-- the keys listed (every key of the tenant when the list is empty).
CREATE TABLE usage_alert_rule (
    rule_id               UUID PRIMARY KEY,
    tenant_id             TEXT        NOT NULL,
    name                  TEXT        NOT NULL,
    key_ids               UUID[]      NOT NULL,
    metric                TEXT        NOT NULL CHECK (metric IN ('operation_count', 'bytes_processed', 'error_rate')),
    operator              TEXT        NOT NULL CHECK (operator IN ('gt', 'lt', 'eq')),
    threshold             NUMERIC     NOT NULL CHECK (threshold >= 0),
    -- as the tenant wrote it (e.g. 1h), and in seconds for the evaluation
    window_text           TEXT        NOT NULL,
    window_seconds        BIGINT      NOT NULL CHECK (window_seconds > 0),
    severity              TEXT        NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    notification_channels TEXT[]      NOT NULL,
    enabled               BOOLEAN     NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);

CREATE INDEX usage_alert_rule_tenant_created ON usage_alert_rule (tenant_id, created_at, rule_id);

-- One row per breach of a rule: opened when the evaluation finds the condition holding, resolved when it no longer
-- does. A rule's alerts go with it.
CREATE TABLE usage_alert (
    alert_id        UUID PRIMARY KEY,
    tenant_id       TEXT        NOT NULL,
    rule_id         UUID        NOT NULL REFERENCES usage_alert_rule (rule_id) ON DELETE CASCADE,
    -- the key the rule watches when it watches exactly one
    key_id          UUID,
    alert_type      TEXT        NOT NULL CHECK (alert_type IN ('threshold_exceeded', 'unusual_pattern',
                                                               'compliance_violation')),
    severity        TEXT        NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    message         TEXT        NOT NULL,
    observed_value  NUMERIC     NOT NULL,
    triggered_at    TIMESTAMPTZ NOT NULL,
    resolved_at     TIMESTAMPTZ,
    acknowledged_at TIMESTAMPTZ,
    acknowledged_by TEXT,
    CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);

-- a breach raises one alert: at most one open alert per rule, whoever evaluates and however often
CREATE UNIQUE INDEX usage_alert_open_per_rule ON usage_alert (rule_id) WHERE resolved_at IS NULL;
CREATE INDEX usage_alert_tenant_triggered ON usage_alert (tenant_id, triggered_at DESC, alert_id);

-- The display names applications gave when recording their usage; an application without one is shown by its id.
CREATE TABLE usage_application (
    tenant_id      TEXT        NOT NULL,
    application_id TEXT        NOT NULL,
    name           TEXT        NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, application_id)
);

-- the applications report reads the log by application
CREATE INDEX key_operation_tenant_application ON key_operation (tenant_id, application_id, occurred_at);
