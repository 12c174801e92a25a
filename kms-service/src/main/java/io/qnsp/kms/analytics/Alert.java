package io.qnsp.kms.analytics;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One breach of an alert rule: open from {@code triggeredAt} until the evaluation finds the condition no longer
 * holding ({@code resolvedAt}); acknowledged at most once.
 *
 * @param keyId the key its rule watches when it watches exactly one, {@code null} otherwise
 */
public record Alert(UUID alertId, String tenantId, UUID ruleId, @Nullable UUID keyId, String alertType,
                    AlertSeverity severity, String message, BigDecimal observedValue, Instant triggeredAt,
                    @Nullable Instant resolvedAt, @Nullable Instant acknowledgedAt, @Nullable String acknowledgedBy) {

    /** The only type the rules raise; the others are reserved for detectors the service does not have yet. */
    public static final String THRESHOLD_EXCEEDED = "threshold_exceeded";
}
