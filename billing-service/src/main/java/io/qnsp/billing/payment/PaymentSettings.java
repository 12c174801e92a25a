package io.qnsp.billing.payment;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Settings of payment collection.
 *
 * @param provider            the payment provider: {@code test} (built in, moves no money) or the name of another
 *                            {@link PaymentProvider} bean
 * @param collectionInterval  how often pending payments and due retries are attempted
 * @param retryAfter          automatic retries of a failed payment, each counted from its first failure
 * @param transientRetryDelay after a transient failure, the first quicker retry; it doubles with each further one
 * @param maxTransientRetries quicker retries in a row, after which the schedule of {@code retryAfter} applies
 */
@Validated
@ConfigurationProperties("qnsp.billing.payments")
public record PaymentSettings(@DefaultValue("test") @NotBlank String provider,
                              @DefaultValue("1m") Duration collectionInterval,
                              @DefaultValue({"1d", "3d", "6d", "9d"}) List<Duration> retryAfter,
                              @DefaultValue("1h") Duration transientRetryDelay,
                              @DefaultValue("3") @Min(0) int maxTransientRetries) {

    public PaymentSettings {
        retryAfter = retryAfter.stream().sorted().toList();
        for (Duration after : retryAfter) {
            if (after.isNegative() || after.isZero()) {
                throw new IllegalArgumentException("qnsp.billing.payments.retry-after must be positive durations");
            }
        }
        if (transientRetryDelay.isNegative() || transientRetryDelay.isZero()) {
            throw new IllegalArgumentException("qnsp.billing.payments.transient-retry-delay must be positive");
        }
    }
}
