package io.qnsp.billing.payment;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * One try to collect a payment.
 *
 * @param trigger  {@code initial}, {@code automatic_retry} or {@code manual_retry}
 * @param outcome  {@code succeeded}, {@code declined} or {@code transient_failure}
 * @param code     the provider's reason for a failure
 */
public record PaymentAttempt(UUID paymentId, int attemptNo, Instant attemptedAt, String trigger,
                             @Nullable String paymentMethod, String outcome, @Nullable String code, String message,
                             @Nullable String providerReference) {
}
