package io.qnsp.common.ratelimit;

/**
 * The platform's one token-bucket engine. Thread-safe.
 */
public interface RateLimiter {

    /**
     * Takes {@code cost} tokens from the bucket {@code bucketId} if it holds that many.
     *
     * @throws RateLimiterUnavailable when Redis cannot be reached and the failure mode is {@code fail-closed}
     * @throws IllegalArgumentException when {@code cost} is below 1 or above the bucket's capacity
     */
    RateLimitDecision tryConsume(String bucketId, BucketLimits limits, long cost);
}
