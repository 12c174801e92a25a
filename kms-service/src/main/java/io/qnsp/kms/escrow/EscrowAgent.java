package io.qnsp.kms.escrow;

import org.jspecify.annotations.Nullable;

/** An escrow agent: holds one share of every key escrowed under the policy. Roles: primary, secondary, witness. */
public record EscrowAgent(@Nullable String agentId, @Nullable String role) {
}
