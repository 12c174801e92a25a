-- Algorithm deprecation policies: which algorithms a tenant retires, when, and to what.
CREATE TABLE deprecation_policy (
    policy_id             UUID PRIMARY KEY,
    tenant_id             TEXT        NOT NULL,
    name                  TEXT        NOT NULL,
    algorithms            JSONB       NOT NULL,
    deprecation_date      TIMESTAMPTZ NOT NULL,
    enforcement_date      TIMESTAMPTZ NOT NULL,
    migration_target      TEXT,
    notification_schedule JSONB       NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    CONSTRAINT deprecation_policy_name_unique UNIQUE (tenant_id, name)
);

-- Crypto hardware a tenant registers, and the health checks recorded for it.
CREATE TABLE hardware_device (
    hardware_id      UUID PRIMARY KEY,
    tenant_id        TEXT        NOT NULL,
    name             TEXT        NOT NULL,
    type             TEXT        NOT NULL,
    vendor           TEXT,
    model            TEXT,
    serial_number    TEXT,
    location         TEXT,
    capabilities     JSONB       NOT NULL,
    firmware_version TEXT,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX hardware_device_tenant ON hardware_device (tenant_id, created_at);

CREATE TABLE hardware_health_check (
    health_check_id       UUID PRIMARY KEY,
    hardware_id           UUID             NOT NULL REFERENCES hardware_device (hardware_id) ON DELETE CASCADE,
    status                TEXT             NOT NULL,
    temperature           DOUBLE PRECISION,
    operations_per_second DOUBLE PRECISION,
    error_rate            DOUBLE PRECISION,
    recorded_at           TIMESTAMPTZ      NOT NULL
);
CREATE INDEX hardware_health_check_latest ON hardware_health_check (hardware_id, recorded_at DESC);
