package io.qnsp.access.policy;

import io.qnsp.common.web.PathIds;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's policies: create, read, replace and delete. Each change is kept in the policy history and raises the
 * tenant's version, so every instance drops its cached copy.
 */
@Service
public class PolicyManagement {

    private final Policies policies;
    private final PolicyVersions versions;
    private final Clock clock;

    PolicyManagement(Policies policies, PolicyVersions versions, Clock clock) {
        this.policies = policies;
        this.versions = versions;
        this.clock = clock;
    }

    @Transactional
    public Policy create(String tenantId, String actor, PolicyDefinition definition) {
        Instant now = now();
        Policy policy = new Policy(UUID.randomUUID(), tenantId, definition, 1, now, now, actor, actor);
        versions.raise(tenantId);
        policies.insert(policy);
        policies.recordChange(new Policies.Change(tenantId, policy.policyId(), definition.name(), "create", null,
                definition, actor, now));
        return policy;
    }

    public Policy get(String tenantId, String policyId) {
        return policies.find(tenantId, PathIds.parse(policyId, PolicyNotFound::new), false)
                .orElseThrow(PolicyNotFound::new);
    }

    public List<Policy> list(String tenantId, int limit, int offset) {
        return policies.page(tenantId, limit, offset);
    }

    public long count(String tenantId) {
        return policies.count(tenantId);
    }

    @Transactional
    public Policy replace(String tenantId, String actor, String policyId, PolicyDefinition definition) {
        versions.raise(tenantId);
        Policy current = policies.find(tenantId, PathIds.parse(policyId, PolicyNotFound::new), true)
                .orElseThrow(PolicyNotFound::new);
        Instant now = now();
        Policy replaced = current.replaced(definition, actor, now);
        policies.update(replaced);
        policies.recordChange(new Policies.Change(tenantId, current.policyId(), definition.name(), "update",
                current.definition(), definition, actor, now));
        return replaced;
    }

    @Transactional
    public void delete(String tenantId, String actor, String policyId) {
        versions.raise(tenantId);
        Policy current = policies.find(tenantId, PathIds.parse(policyId, PolicyNotFound::new), true)
                .orElseThrow(PolicyNotFound::new);
        policies.delete(current);
        policies.recordChange(new Policies.Change(tenantId, current.policyId(), current.name(), "delete",
                current.definition(), null, actor, now()));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
