package io.qnsp.storage.retention;

import io.qnsp.storage.object.ObjectChangeGuard;
import io.qnsp.storage.object.StoredObject;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Makes legal holds and retention policies bind: an object under an active hold, or within the period of a policy
 * that applies to it, is neither overwritten nor deleted (409).
 */
@Component
class RetentionGuard implements ObjectChangeGuard {

    private final RetentionPolicies policies;
    private final LegalHolds holds;
    private final Clock clock;

    RetentionGuard(RetentionPolicies policies, LegalHolds holds, Clock clock) {
        this.policies = policies;
        this.holds = holds;
        this.clock = clock;
    }

    @Override
    public void check(StoredObject object, Change change) {
        Instant now = clock.instant();
        List<UUID> holding = holds.holding(object.tenantId(), object.objectId(), object.bucketId(), now);
        if (!holding.isEmpty()) {
            throw new ObjectUnderLegalHold(holding);
        }
        policies.governing(object.tenantId(), object.objectId())
                .filter(g -> g.until().isAfter(now))
                .ifPresent(g -> {
                    throw new ObjectUnderRetention(g.policyId(), g.until());
                });
    }
}
