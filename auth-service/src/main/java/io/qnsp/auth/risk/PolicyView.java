package io.qnsp.auth.risk;

import java.time.Instant;
import java.util.UUID;

/** A stored risk policy. */
public record PolicyView(UUID policyId, PolicyDefinition definition, Instant createdAt, Instant updatedAt) {
}
