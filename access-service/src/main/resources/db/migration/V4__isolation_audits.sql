-- Tenant isolation audits run by the platform operator, with their full results.
CREATE TABLE access_isolation_audit (
    audit_id   UUID PRIMARY KEY,
    status     TEXT        NOT NULL CHECK (status IN ('passed', 'failed', 'warning')),
    result     JSONB       NOT NULL,
    audited_at TIMESTAMPTZ NOT NULL,
    audited_by TEXT        NOT NULL
);

-- where each principal was first seen: its home tenant
CREATE INDEX access_decision_principal_time ON access_decision (principal_id, decided_at);
CREATE INDEX jit_request_requester_time ON jit_request (requester_id, requested_at);
