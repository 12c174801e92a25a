-- Key escrow. A key's material is split into one Shamir share per agent of the policy; the shares are handed out
-- once and never stored. What stays is what it takes to recognise a share (an HMAC-SHA256 of it under a key derived
-- from the master key) and, during a recovery, the shares the agents submitted, sealed under the master key and
-- erased once the recovery is executed, denied or expired.
CREATE TABLE escrow_policy (
    policy_id          UUID PRIMARY KEY,
    tenant_id          TEXT        NOT NULL,
    name               TEXT        NOT NULL,
    description        TEXT,
    -- key algorithms the policy escrows, e.g. ["AES-256-GCM"]; empty for any
    key_types          JSONB       NOT NULL,
    -- [{"agentId": ..., "role": "primary | secondary | witness"}]
    agents             JSONB       NOT NULL,
    recovery_threshold INTEGER     NOT NULL CHECK (recovery_threshold >= 1),
    -- ISO 8601, e.g. P365D; NULL keeps escrows until they are recovered
    retention_period   TEXT,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);

CREATE INDEX escrow_policy_tenant_created ON escrow_policy (tenant_id, created_at, policy_id);

CREATE TABLE key_escrow (
    escrow_id          UUID PRIMARY KEY,
    tenant_id          TEXT        NOT NULL,
    key_id             UUID        NOT NULL,
    key_version        INTEGER     NOT NULL,
    policy_id          UUID        NOT NULL REFERENCES escrow_policy (policy_id),
    -- the policy's agents and threshold when the key was split: later policy changes do not alter the shares
    agents             JSONB       NOT NULL,
    recovery_threshold INTEGER     NOT NULL,
    reason             TEXT,
    status             TEXT        NOT NULL CHECK (status IN ('active', 'recovered')),
    expires_at         TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL,
    recovered_at       TIMESTAMPTZ
);

CREATE INDEX key_escrow_tenant_created ON key_escrow (tenant_id, created_at, escrow_id);

-- One row per agent's share: its x coordinate and a keyed hash of the whole share, never the share.
CREATE TABLE escrow_share_check (
    escrow_id  UUID    NOT NULL REFERENCES key_escrow (escrow_id) ON DELETE CASCADE,
    agent_id   TEXT    NOT NULL,
    share_x    INTEGER NOT NULL,
    share_hash BYTEA   NOT NULL,
    PRIMARY KEY (escrow_id, agent_id)
);

CREATE TABLE escrow_recovery (
    request_id      UUID PRIMARY KEY,
    tenant_id       TEXT        NOT NULL,
    escrow_id       UUID        NOT NULL REFERENCES key_escrow (escrow_id),
    status          TEXT        NOT NULL CHECK (status IN ('pending_shares', 'ready_for_approval', 'approved',
                                                          'denied', 'recovered', 'expired')),
    urgency         TEXT        NOT NULL CHECK (urgency IN ('normal', 'urgent', 'emergency')),
    reason          TEXT        NOT NULL,
    requested_by    TEXT        NOT NULL,
    required_shares INTEGER     NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    recovered_at    TIMESTAMPTZ
);

CREATE INDEX escrow_recovery_expiry ON escrow_recovery (status, expires_at);

-- Submitted shares, sealed under the master key, until the recovery is executed, denied or expires.
CREATE TABLE escrow_recovery_share (
    request_id   UUID        NOT NULL REFERENCES escrow_recovery (request_id) ON DELETE CASCADE,
    agent_id     TEXT        NOT NULL,
    sealed_share BYTEA       NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (request_id, agent_id)
);

CREATE TABLE escrow_recovery_decision (
    request_id UUID        NOT NULL REFERENCES escrow_recovery (request_id) ON DELETE CASCADE,
    decided_by TEXT        NOT NULL,
    admin      BOOLEAN     NOT NULL,
    decision   TEXT        NOT NULL CHECK (decision IN ('approve', 'deny')),
    reason     TEXT,
    decided_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (request_id, decided_by)
);

-- The escrow audit log: every step of an escrow and its recoveries, including refused shares.
CREATE TABLE escrow_audit_event (
    event_id    UUID PRIMARY KEY,
    tenant_id   TEXT        NOT NULL,
    escrow_id   UUID        NOT NULL,
    event_type  TEXT        NOT NULL,
    actor       TEXT        NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    details     JSONB       NOT NULL
);

CREATE INDEX escrow_audit_event_tenant_time ON escrow_audit_event (tenant_id, occurred_at, event_id);
