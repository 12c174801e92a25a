-- Risk-based authentication. Every row carries the tenant it belongs to; every query filters by it.

-- A tenant's policies: conditions under which a login must be challenged or denied.
CREATE TABLE risk_policy (
    id                   UUID PRIMARY KEY,
    tenant_id            TEXT        NOT NULL,
    name                 TEXT        NOT NULL,
    description          TEXT,
    risk_score_threshold INTEGER     CHECK (risk_score_threshold BETWEEN 0 AND 100),
    -- comma-separated ISO 3166-1 alpha-2 codes of the only countries logins may come from
    geo_restrictions     TEXT        CHECK (geo_restrictions ~ '^[A-Z]{2}(,[A-Z]{2})*$'),
    allowed_hours_start  INTEGER     CHECK (allowed_hours_start BETWEEN 0 AND 23),
    allowed_hours_end    INTEGER     CHECK (allowed_hours_end BETWEEN 0 AND 23),
    time_zone            TEXT,
    on_high_risk         TEXT        NOT NULL CHECK (on_high_risk IN ('challenge', 'deny')),
    challenge_type       TEXT        NOT NULL CHECK (challenge_type IN ('mfa', 'captcha', 'email_verification')),
    enabled              BOOLEAN     NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    version              BIGINT      NOT NULL DEFAULT 0,
    CHECK ((allowed_hours_start IS NULL) = (allowed_hours_end IS NULL)
        AND (allowed_hours_start IS NULL) = (time_zone IS NULL)),
    CHECK (allowed_hours_start IS NULL OR allowed_hours_start <> allowed_hours_end)
);

CREATE UNIQUE INDEX risk_policy_tenant_name ON risk_policy (tenant_id, lower(name));
CREATE INDEX risk_policy_tenant_created ON risk_policy (tenant_id, created_at, id);

-- Every evaluated login attempt: the users' login history and the source of the stats. The device fingerprint is
-- kept only as its SHA-256 digest; ip_address is erased after qnsp.auth.risk.ip-address-retention.
CREATE TABLE risk_evaluation (
    id                UUID PRIMARY KEY,
    tenant_id         TEXT             NOT NULL,
    user_id           TEXT             NOT NULL,
    evaluated_at      TIMESTAMPTZ      NOT NULL,
    device_hash       TEXT,
    country           TEXT             CHECK (country ~ '^[A-Z]{2}$'),
    city              TEXT,
    latitude          DOUBLE PRECISION CHECK (latitude BETWEEN -90 AND 90),
    longitude         DOUBLE PRECISION CHECK (longitude BETWEEN -180 AND 180),
    ip_address        TEXT,
    user_agent        TEXT,
    previous_login_at TIMESTAMPTZ,
    failed_attempts   INTEGER          NOT NULL CHECK (failed_attempts >= 0),
    risk_score        INTEGER          NOT NULL CHECK (risk_score BETWEEN 0 AND 100),
    risk_level        TEXT             NOT NULL CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
    recommendation    TEXT             NOT NULL CHECK (recommendation IN ('allow', 'challenge', 'deny')),
    challenge_type    TEXT             CHECK (challenge_type IN ('mfa', 'captcha', 'email_verification')),
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CHECK ((challenge_type IS NOT NULL) = (recommendation = 'challenge'))
);

-- a user's history, newest first (previous login, recent denials)
CREATE INDEX risk_evaluation_user ON risk_evaluation (tenant_id, user_id, recommendation, evaluated_at DESC);
-- known devices
CREATE INDEX risk_evaluation_user_device ON risk_evaluation (tenant_id, user_id, device_hash);
-- the stats
CREATE INDEX risk_evaluation_tenant_time ON risk_evaluation (tenant_id, evaluated_at);
-- retention sweeps
CREATE INDEX risk_evaluation_time ON risk_evaluation (evaluated_at);

CREATE TABLE risk_evaluation_factor (
    evaluation_id UUID    NOT NULL REFERENCES risk_evaluation (id) ON DELETE CASCADE,
    ordinal       INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    score         INTEGER NOT NULL,
    reason        TEXT    NOT NULL,
    PRIMARY KEY (evaluation_id, ordinal)
);

-- Threat signals reported for a tenant's users. ip_address is erased after qnsp.auth.risk.ip-address-retention.
CREATE TABLE risk_signal (
    id          UUID PRIMARY KEY,
    tenant_id   TEXT        NOT NULL,
    user_id     TEXT        NOT NULL,
    signal_type TEXT        NOT NULL CHECK (signal_type IN
                    ('suspicious_login', 'credential_stuffing', 'brute_force', 'impossible_travel', 'new_device')),
    severity    TEXT        NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    ip_address  TEXT,
    user_agent  TEXT,
    details     TEXT,
    reported_by TEXT        NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX risk_signal_user ON risk_signal (tenant_id, user_id, recorded_at DESC, id DESC);
CREATE INDEX risk_signal_time ON risk_signal (recorded_at);
