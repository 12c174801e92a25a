package io.qnsp.audit.delivery;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of outgoing deliveries (webhooks, kafka, sqs).
 *
 * @param secretEncryptionKey   base64 of 32 bytes: seals destination secrets (webhook signing secrets, broker
 *                              credentials) at rest
 * @param pollInterval          how often due deliveries are looked for
 * @param batchSize             deliveries one instance sends at once
 * @param maxAttempts           attempts before a delivery is marked failed
 * @param initialBackoff        wait after the first failed attempt; doubled after each further one
 * @param maxBackoff            the longest wait between attempts
 * @param lease                 how long a claimed delivery stays with its instance before another may take it (an
 *                              instance that died mid-send)
 * @param connectTimeout        connecting to a webhook target
 * @param requestTimeout        a webhook target's whole answer
 * @param allowPrivateTargets   whether webhook URLs may point at loopback, private, link-local or other internal
 *                              addresses; off in production, so a tenant cannot reach the platform's own network
 */
@Validated
@ConfigurationProperties("qnsp.audit.deliveries")
public record DeliverySettings(String secretEncryptionKey,
                               @DefaultValue("250ms") Duration pollInterval,
                               @DefaultValue("20") @Min(1) @Max(500) int batchSize,
                               @DefaultValue("15") @Min(1) @Max(50) int maxAttempts,
                               @DefaultValue("5s") Duration initialBackoff,
                               @DefaultValue("1h") Duration maxBackoff,
                               @DefaultValue("60s") Duration lease,
                               @DefaultValue("5s") Duration connectTimeout,
                               @DefaultValue("10s") Duration requestTimeout,
                               @DefaultValue("false") boolean allowPrivateTargets) {

    /** The wait before attempt {@code failedAttempts + 1}. */
    Duration backoffAfter(int failedAttempts) {
        long factor = 1L << Math.min(Math.max(failedAttempts - 1, 0), 30);
        Duration wait = initialBackoff.multipliedBy(factor);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
