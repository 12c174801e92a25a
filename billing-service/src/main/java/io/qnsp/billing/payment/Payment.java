package io.qnsp.billing.payment;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * The collection of one finalized invoice's amount due.
 *
 * @param status          {@code pending} (not attempted yet), {@code succeeded} or {@code failed} (outstanding)
 * @param failedAt        the first failure: dunning and automatic retries count from it
 * @param retryCount      attempts after the first
 * @param transientStreak transient failures in a row, which are retried sooner
 * @param nextRetryAt     the next automatic attempt; {@code null} when none is planned
 * @param retriesStopped  whether automatic retries ended (dunning cancelled the tenant)
 */
public record Payment(UUID paymentId, String tenantId, UUID invoiceId, BigDecimal amount, String currency,
                      String provider, String status, Instant createdAt, @Nullable Instant failedAt,
                      @Nullable Instant lastAttemptAt, @Nullable String lastFailureCode, int retryCount,
                      int automaticRetries, int transientStreak, @Nullable Instant nextRetryAt,
                      boolean retriesStopped, @Nullable Instant succeededAt) {

    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
}
