package io.qnsp.common.ratelimit;

import java.util.List;

/**
 * The platform's one token-bucket engine. Thread-safe.
 */
public interface RateLimiter {

    /**
     * Takes {@code cost} tokens from the bucket {@code bucketId} if it holds that many: at most one Redis round trip.
     *
     * @throws RateLimiterUnavailable when Redis cannot be reached and the failure mode is {@code fail-closed}
     * @throws IllegalArgumentException when {@code cost} is below 1 or above the bucket's capacity
     */
    RateLimitDecision tryConsume(String bucketId, BucketLimits limits, long cost);

    /**
     * Charges a request that must pass every bucket (e.g. per minute, per hour and per day), all-or-nothing: it is
     * admitted only when every bucket holds {@code cost} tokens, and then {@code cost} is taken from each; when any
     * bucket lacks it, no bucket is charged. One Redis round trip (one script call for all the buckets), none when the
     * local memory of a denial proves that one of the buckets would deny. Counted as one decision. The answer is the
     * decision that governs: the denial with the longest retry-after, or, when all admit, the decision with the
     * fewest tokens left (the first such bucket on a tie).
     *
     * @throws RateLimiterUnavailable   when Redis cannot be reached and the failure mode is {@code fail-closed}
     * @throws IllegalArgumentException when there is no bucket, two share an id, or {@code cost} is below 1 or above
     *                                  the smallest capacity
     */
    RateLimitDecision tryConsumeAll(List<RateLimitBucket> buckets, long cost);
}
