package io.qnsp.audit.retention;

import java.time.Instant;
import java.util.UUID;

/** A stored retention policy of one owner (a tenant, or the platform operator). */
public record RetentionPolicy(UUID policyId, RetentionOwner owner, PolicyDefinition definition, Instant createdAt) {
}
