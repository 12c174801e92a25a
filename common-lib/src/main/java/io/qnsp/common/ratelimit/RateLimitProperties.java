package io.qnsp.common.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of the rate-limit engine ({@code qnsp.ratelimit.*}).
 *
 * @param redisFailureMode   what decides while Redis cannot be reached
 * @param redisRetryInterval after a failed Redis call, how long decisions skip Redis before one call tries again
 * @param denialMemorySize   how many buckets' denials are remembered locally at most
 * @param localBucketsSize   how many in-process buckets failure mode {@code local} keeps at most
 * @param unavailableRetryAfter the {@code Retry-After} a {@code fail-closed} refusal (503) carries: when the caller
 *                              may try again; whole seconds, rounded up, at least 1
 */
@ConfigurationProperties("qnsp.ratelimit")
public record RateLimitProperties(@DefaultValue("local") RedisFailureMode redisFailureMode,
                                  @DefaultValue("1s") Duration redisRetryInterval,
                                  @DefaultValue("100000") int denialMemorySize,
                                  @DefaultValue("100000") int localBucketsSize,
                                  @DefaultValue("2s") Duration unavailableRetryAfter) {

    public RateLimitProperties {
        if (redisFailureMode == null) {
            throw new IllegalArgumentException("qnsp.ratelimit.redis-failure-mode is required");
        }
        if (redisRetryInterval == null || redisRetryInterval.isNegative() || redisRetryInterval.isZero()) {
            throw new IllegalArgumentException("qnsp.ratelimit.redis-retry-interval must be positive");
        }
        if (denialMemorySize < 1 || localBucketsSize < 1) {
            throw new IllegalArgumentException("qnsp.ratelimit.denial-memory-size and local-buckets-size must be at least 1");
        }
        if (unavailableRetryAfter == null || unavailableRetryAfter.isNegative() || unavailableRetryAfter.isZero()) {
            throw new IllegalArgumentException("qnsp.ratelimit.unavailable-retry-after must be positive");
        }
    }

    /** What the engine does while Redis cannot be reached. */
    public enum RedisFailureMode {
        /** admit every request (source {@code FAIL_OPEN}) */
        FAIL_OPEN,
        /** refuse with {@link RateLimiterUnavailable} (503) */
        FAIL_CLOSED,
        /** enforce the limits per instance with in-process buckets (source {@code LOCAL_BUCKET}) */
        LOCAL
    }
}
