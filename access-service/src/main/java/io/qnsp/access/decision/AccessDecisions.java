package io.qnsp.access.decision;

import io.qnsp.access.policy.AccessRequest;
import io.qnsp.access.policy.Decision;
import io.qnsp.access.policy.Evaluation;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;

/**
 * Decisions on a tenant's current rules: a check is recorded in the decision log, a simulation is not. Both answer
 * from the in-memory copy of the tenant's rules; neither touches the database unless the copy is out of date.
 */
@Service
public class AccessDecisions {

    /** A decision and the moment it was made. */
    public record Made(Decision decision, Instant decidedAt, long policyVersion) {
    }

    private final TenantPolicies policies;
    private final DecisionLog log;
    private final Clock clock;

    AccessDecisions(TenantPolicies policies, DecisionLog log, Clock clock) {
        this.policies = policies;
        this.log = log;
        this.clock = clock;
    }

    /**
     * The run-time decision, logged. JIT grants count at the real present moment, whatever the request's
     * timestamp says (a caller cannot revive an expired grant by naming an earlier time).
     */
    public Made check(String tenantId, AccessRequest request) {
        TenantPolicies.Snapshot snapshot = policies.current(tenantId);
        Instant now = clock.instant();
        Decision decision = Evaluation.evaluate(snapshot.rules(), request, now);
        log.record(tenantId, request, decision, now);
        return new Made(decision, now, snapshot.version());
    }

    /**
     * The decision the current rules would make, recorded nowhere. A request naming a timestamp is evaluated as of
     * that moment, JIT grants included.
     */
    public Made simulate(String tenantId, AccessRequest request) {
        TenantPolicies.Snapshot snapshot = policies.current(tenantId);
        Instant now = clock.instant();
        Decision decision = Evaluation.evaluate(snapshot.rules(), request,
                request.timestamp() != null ? request.timestamp() : now);
        return new Made(decision, now, snapshot.version());
    }
}
