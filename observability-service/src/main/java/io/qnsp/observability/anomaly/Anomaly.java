package io.qnsp.observability.anomaly;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * One minute a rule found unusual in its tenant's traffic.
 *
 * @param status      {@code open} until a later minute the rule judges is normal again, then {@code resolved}
 * @param windowStart the judged minute's start
 */
public record Anomaly(UUID anomalyId, String tenantId, UUID ruleId, String ruleName, String metric, String severity,
                      String status, Instant windowStart, double observedValue, @Nullable Double expectedValue,
                      @Nullable Double score, String explanation, Instant detectedAt, @Nullable Instant resolvedAt) {

    public static final java.util.List<String> STATUSES = java.util.List.of("open", "acknowledged", "resolved");
}
