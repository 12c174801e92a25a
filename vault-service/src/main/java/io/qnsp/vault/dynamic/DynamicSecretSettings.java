package io.qnsp.vault.dynamic;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Dynamic database credentials: how often expired leases are swept, how failed revocations are retried, how the
 * backends are reached, and the limits of a lease's time to live.
 *
 * @param sweepInterval   pause between two sweeps of expired leases and due retries (each instance sweeps; rows
 *                        are shared out with {@code FOR UPDATE SKIP LOCKED})
 * @param sweepBatchSize  leases claimed by one sweep at most; a full batch is followed at once by another
 * @param claimTimeout    how long a lease claimed for revocation stays with its claimant; a claimant that died is
 *                        replaced after it
 * @param retryBackoff    pause after the first failed revocation; it doubles with each further failure
 * @param maxRetryBackoff the longest pause between two attempts; failed revocations are retried for ever
 * @param connectTimeout  how long to wait for a backend to accept a connection and log in
 * @param socketTimeout   how long to wait for a backend's answer to a statement
 * @param defaultTtl      a config's {@code ttl.default} when it gives none (never more than its {@code ttl.max})
 * @param defaultMaxTtl   a config's {@code ttl.max} when it gives none
 * @param ttlCeiling      the longest {@code ttl.max} a config may have
 * @param allowedHosts    backend hosts configs may point at: exact names or addresses, or {@code *.domain}; empty
 *                        for any host (then a tenant can make the vault open connections to any host it reaches)
 */
@Validated
@ConfigurationProperties("qnsp.vault.dynamic")
public record DynamicSecretSettings(@DefaultValue("10s") Duration sweepInterval,
                                    @DefaultValue("100") @Min(1) @Max(10_000) int sweepBatchSize,
                                    @DefaultValue("2m") Duration claimTimeout,
                                    @DefaultValue("5s") Duration retryBackoff,
                                    @DefaultValue("1h") Duration maxRetryBackoff,
                                    @DefaultValue("5s") Duration connectTimeout,
                                    @DefaultValue("30s") Duration socketTimeout,
                                    @DefaultValue("1h") Duration defaultTtl,
                                    @DefaultValue("24h") Duration defaultMaxTtl,
                                    @DefaultValue("32d") Duration ttlCeiling,
                                    @DefaultValue List<String> allowedHosts) {

    public DynamicSecretSettings {
        allowedHosts = allowedHosts == null ? List.of()
                : allowedHosts.stream().map(String::strip).filter(host -> !host.isEmpty()).toList();
        requirePositive(claimTimeout, "claim-timeout");
        requirePositive(retryBackoff, "retry-backoff");
        requirePositive(connectTimeout, "connect-timeout");
        requirePositive(socketTimeout, "socket-timeout");
        requirePositive(defaultTtl, "default-ttl");
        requirePositive(defaultMaxTtl, "default-max-ttl");
        if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("qnsp.vault.dynamic.max-retry-backoff must be at least retry-backoff");
        }
        if (ttlCeiling.compareTo(defaultMaxTtl) < 0) {
            throw new IllegalArgumentException("qnsp.vault.dynamic.ttl-ceiling must be at least default-max-ttl");
        }
    }

    /** The pause before the attempt after {@code failures} failed ones: doubling from the first, up to the ceiling. */
    Duration backoffAfter(int failures) {
        Duration pause = retryBackoff;
        for (int i = 1; i < failures && pause.compareTo(maxRetryBackoff) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : pause;
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("qnsp.vault.dynamic." + name + " must be positive");
        }
    }
}
