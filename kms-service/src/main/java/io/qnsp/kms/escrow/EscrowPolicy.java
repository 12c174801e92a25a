package io.qnsp.kms.escrow;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Who holds the shares of a key escrowed under it and how many of them it takes to recover the key.
 *
 * @param keyTypes        the key algorithms it escrows; empty for any
 * @param retentionPeriod ISO 8601; how long an escrow lasts, or {@code null} until it is recovered
 */
public record EscrowPolicy(UUID policyId, String tenantId, String name, @Nullable String description,
                           List<String> keyTypes, List<EscrowAgent> agents, int recoveryThreshold,
                           @Nullable String retentionPeriod, Instant createdAt, Instant updatedAt) {
}
