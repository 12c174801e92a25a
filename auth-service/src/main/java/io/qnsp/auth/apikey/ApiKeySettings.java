package io.qnsp.auth.apikey;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of DataHub API keys. The hashing secret is {@code qnsp.auth.api-key-hash-secret} (base64 of at least 32
 * random bytes, required), read by the key hasher.
 *
 * @param environment               the {@code env} part of issued keys, {@code dh_{env}_…}: {@code live} or {@code test}
 * @param defaultRateLimit          limits of a key whose creation names none (or only some)
 * @param defaultDeprecationPeriod  how long a rotated key keeps working when the rotation names no period
 * @param maxDeprecationPeriod      the longest deprecation period a rotation may ask for
 * @param maxMetadataBytes          the largest {@code metadata} object accepted, as compact JSON
 * @param usageFlushInterval        how often request counts and last-use times are written to the database
 * @param expirySweepInterval       how often keys whose expiry (or deprecation) has passed are announced
 */
@Validated
@ConfigurationProperties("qnsp.auth.api-keys")
public record ApiKeySettings(@DefaultValue("live") @Pattern(regexp = "live|test") String environment,
                             @Valid @NotNull @DefaultValue RateLimitDefaults defaultRateLimit,
                             @DefaultValue("1d") Duration defaultDeprecationPeriod,
                             @DefaultValue("30d") Duration maxDeprecationPeriod,
                             @DefaultValue("4096") @Min(256) @Max(65536) int maxMetadataBytes,
                             @DefaultValue("10s") Duration usageFlushInterval,
                             @DefaultValue("5s") Duration expirySweepInterval) {

    public ApiKeySettings {
        if (defaultDeprecationPeriod.isNegative() || defaultDeprecationPeriod.compareTo(maxDeprecationPeriod) > 0) {
            throw new IllegalArgumentException(
                    "qnsp.auth.api-keys.default-deprecation-period must be between 0 and max-deprecation-period");
        }
        if (usageFlushInterval.isNegative() || usageFlushInterval.isZero()
                || expirySweepInterval.isNegative() || expirySweepInterval.isZero()) {
            throw new IllegalArgumentException("qnsp.auth.api-keys flush and sweep intervals must be positive");
        }
    }

    /** Limits a key gets for each window its creation leaves out. */
    public record RateLimitDefaults(@DefaultValue("100") @Min(1) @Max(RateLimit.MAX) int requestsPerMinute,
                                    @DefaultValue("5000") @Min(1) @Max(RateLimit.MAX) int requestsPerHour,
                                    @DefaultValue("100000") @Min(1) @Max(RateLimit.MAX) int requestsPerDay) {
    }
}
