package io.qnsp.auth.risk;

import java.util.UUID;

/** A tenant policy that applied to an evaluated login, and what it demanded. */
public record AppliedPolicy(UUID policyId, String name, HighRiskAction action) {
}
