-- Automated response playbooks: what triggers them (audit event types, a severity threshold, filters) and what
-- they do. The responder client's secret (used for executions a trigger starts) is stored sealed, never in clear.
CREATE TABLE playbook (
    playbook_id               UUID PRIMARY KEY,
    tenant_id                 TEXT        NOT NULL,
    name                      TEXT        NOT NULL,
    description               TEXT,
    event_types               JSONB       NOT NULL,
    severity_threshold        TEXT,
    filters                   JSONB       NOT NULL,
    actions                   JSONB       NOT NULL,
    enabled                   BOOLEAN     NOT NULL,
    dry_run                   BOOLEAN     NOT NULL,
    responder_client_id       TEXT,
    responder_secret_sealed   BYTEA,
    created_at                TIMESTAMPTZ NOT NULL,
    CONSTRAINT playbook_name_unique UNIQUE (tenant_id, name)
);
CREATE INDEX playbook_enabled ON playbook (tenant_id) WHERE enabled;

-- Audit events that matched a playbook's trigger, counted within its window per resource.
CREATE TABLE trigger_occurrence (
    playbook_id  UUID        NOT NULL REFERENCES playbook (playbook_id) ON DELETE CASCADE,
    event_id     UUID        NOT NULL,
    resource_id  TEXT        NOT NULL,
    occurred_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (playbook_id, event_id)
);
CREATE INDEX trigger_occurrence_window ON trigger_occurrence (playbook_id, resource_id, occurred_at);

-- One run of a playbook, started by a caller or by a trigger, and the log of its steps.
CREATE TABLE playbook_execution (
    execution_id      UUID PRIMARY KEY,
    tenant_id         TEXT        NOT NULL,
    playbook_id       UUID        NOT NULL REFERENCES playbook (playbook_id) ON DELETE CASCADE,
    incident_id       TEXT,
    target_resources  JSONB       NOT NULL,
    started_by        TEXT        NOT NULL,
    dry_run           BOOLEAN     NOT NULL,
    status            TEXT        NOT NULL,
    started_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ
);
CREATE INDEX playbook_execution_tenant ON playbook_execution (tenant_id, playbook_id, started_at);

CREATE TABLE execution_step (
    execution_id  UUID        NOT NULL REFERENCES playbook_execution (execution_id) ON DELETE CASCADE,
    step          INT         NOT NULL,
    action_type   TEXT        NOT NULL,
    target        TEXT,
    outcome       TEXT        NOT NULL,
    detail        TEXT        NOT NULL,
    recorded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (execution_id, step)
);

-- Compliance controls a tenant maps to the platform's automated checks, and the assessments run against them.
CREATE TABLE compliance_control (
    control_uuid      UUID PRIMARY KEY,
    tenant_id         TEXT        NOT NULL,
    control_id        TEXT        NOT NULL,
    framework         TEXT        NOT NULL,
    name              TEXT        NOT NULL,
    description       TEXT,
    requirements      JSONB       NOT NULL,
    automated_checks  JSONB       NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    CONSTRAINT compliance_control_unique UNIQUE (tenant_id, framework, control_id)
);

CREATE TABLE compliance_assessment (
    assessment_id  UUID PRIMARY KEY,
    tenant_id      TEXT             NOT NULL,
    overall_score  DOUBLE PRECISION NOT NULL,
    result         JSONB            NOT NULL,
    assessed_at    TIMESTAMPTZ      NOT NULL
);

-- Attack-surface analyses and simulations, as they were answered.
CREATE TABLE attack_surface_report (
    report_id   UUID PRIMARY KEY,
    tenant_id   TEXT        NOT NULL,
    kind        TEXT        NOT NULL,
    subject     TEXT        NOT NULL,
    result      JSONB       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX attack_surface_report_tenant ON attack_surface_report (tenant_id, created_at);
