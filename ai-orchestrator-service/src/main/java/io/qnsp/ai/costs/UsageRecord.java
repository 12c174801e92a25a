package io.qnsp.ai.costs;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One inference served by a tenant's model, as the caller that ran it reported it: tokens in and out, latency, what
 * the provider charged (in the platform's configured currency), and optionally a hash of the prompt so repeated
 * prompts can be recognized without the prompt being stored.
 */
public record UsageRecord(UUID usageId, String tenantId, UUID modelId, @Nullable UUID deploymentId, String userId,
                          long inputTokens, long outputTokens, long latencyMs, BigDecimal cost,
                          @Nullable String promptHash, Instant occurredAt) {

    public long tokens() {
        return inputTokens + outputTokens;
    }
}
