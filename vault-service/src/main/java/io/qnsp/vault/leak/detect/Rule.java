package io.qnsp.vault.leak.detect;

import org.jspecify.annotations.Nullable;

import java.util.UUID;

/**
 * One detection rule as a policy (or the built-in set) states it.
 *
 * @param name     what the rule is called in an incident's details: a built-in rule's name (e.g.
 *                 {@code aws-access-key-id}) or {@code secretPatterns[i]} of its policy
 * @param policyId the policy the rule belongs to; {@code null} for a built-in rule used without a policy
 */
public record Rule(String name, PatternType type, String pattern, Severity severity, @Nullable UUID policyId,
                   boolean builtIn) {
}
