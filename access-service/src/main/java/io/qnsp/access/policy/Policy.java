package io.qnsp.access.policy;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's stored access policy.
 *
 * @param revision 1 when created, one more with each replacement
 */
public record Policy(UUID policyId, String tenantId, PolicyDefinition definition, int revision, Instant createdAt,
                     Instant updatedAt, String createdBy, String updatedBy) {

    public Rule rule() {
        return definition.rule(policyId.toString());
    }

    Policy replaced(PolicyDefinition newDefinition, String actor, Instant now) {
        return new Policy(policyId, tenantId, newDefinition, revision + 1, createdAt, now, createdBy, actor);
    }

    public String name() {
        return definition.name();
    }

    public @Nullable String description() {
        return definition.description();
    }
}
