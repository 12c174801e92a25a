package io.qnsp.access.simulation;

import io.qnsp.access.policy.PolicyDefinition;
import org.jspecify.annotations.Nullable;

/**
 * A policy change to analyze: a new policy, a replacement of one, or a deletion.
 *
 * @param policyId  the policy replaced or deleted; {@code null} for a creation
 * @param newPolicy the policy created or the replacement; {@code null} for a deletion
 */
public record ProposedChange(String type, @Nullable String policyId, @Nullable PolicyDefinition newPolicy) {
}
