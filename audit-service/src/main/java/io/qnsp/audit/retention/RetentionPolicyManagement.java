package io.qnsp.audit.retention;

import io.qnsp.common.error.InvalidField;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Creates, lists, reads and deletes retention policies; an owner only ever sees its own. */
@Service
public class RetentionPolicyManagement {

    private final RetentionPolicies policies;
    private final RetentionSettings settings;
    private final Clock clock;

    RetentionPolicyManagement(RetentionPolicies policies, RetentionSettings settings, Optional<Clock> clock) {
        this.policies = policies;
        this.settings = settings;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Transactional
    public RetentionPolicy create(RetentionOwner owner, PolicyDefinition definition) {
        Duration minimum = settings.minRetentionPeriod();
        if (definition.retentionPeriod().shortest().compareTo(minimum) < 0) {
            throw new InvalidField("retentionPeriod", "must keep events at least " + minimum
                    + " (months count as 28 days, years as 365)", Map.of("minRetentionPeriod", minimum.toString()));
        }
        if (policies.count(owner) >= settings.maxPoliciesPerTenant()) {
            throw new RetentionPolicyLimitReached(settings.maxPoliciesPerTenant());
        }
        if (policies.nameTaken(owner, definition.name())) {
            throw new RetentionPolicyNameTaken();
        }
        RetentionPolicy policy = new RetentionPolicy(UUID.randomUUID(), owner, definition,
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        try {
            policies.insert(policy);
        } catch (DuplicateKeyException e) {
            // two requests raced past the name check; the unique index decided
            throw new RetentionPolicyNameTaken();
        }
        return policy;
    }

    @Transactional(readOnly = true)
    public List<RetentionPolicy> list(RetentionOwner owner) {
        return policies.list(owner);
    }

    @Transactional(readOnly = true)
    public RetentionPolicy find(RetentionOwner owner, String policyId) {
        return owned(owner, policyId);
    }

    /** Deletes the policy; the record of its past cleanups (and so the savings) stays. */
    @Transactional
    public void delete(RetentionOwner owner, String policyId) {
        if (!policies.delete(owner, id(policyId))) {
            throw new RetentionPolicyNotFound();
        }
    }

    /** The owner's policy with this id; an id that is no UUID names no policy either. */
    RetentionPolicy owned(RetentionOwner owner, String policyId) {
        return policies.find(owner, id(policyId)).orElseThrow(RetentionPolicyNotFound::new);
    }

    private static UUID id(String policyId) {
        if (policyId == null || policyId.isBlank()) {
            throw new InvalidField("policyId", "is required");
        }
        try {
            return UUID.fromString(policyId.strip());
        } catch (IllegalArgumentException e) {
            throw new RetentionPolicyNotFound();
        }
    }
}
