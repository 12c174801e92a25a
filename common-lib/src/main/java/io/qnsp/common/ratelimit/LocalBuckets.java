package io.qnsp.common.ratelimit;

import java.time.Duration;

/**
 * In-process token buckets for failure mode {@code local}: each instance enforces the limits on its own while Redis
 * is away. A bucket is dropped once it is full again (it would start full anyway); when the map overflows, a dropped
 * bucket restarts full, which admits a little more than it should but never blocks. Thread-safe.
 */
final class LocalBuckets {

    private record Bucket(double tokens, long updatedAt, long fullAt) {
    }

    private final BoundedExpiringMap<Bucket> buckets;

    LocalBuckets(int maxEntries) {
        this.buckets = new BoundedExpiringMap<>(maxEntries, Bucket::fullAt);
    }

    /** Same semantics as the Redis script: refill, clamp to the current capacity, take {@code cost} if there. */
    RateLimitDecision tryConsume(String bucketId, BucketLimits limits, long cost, long now) {
        RateLimitDecision[] decision = new RateLimitDecision[1];
        buckets.compute(bucketId, (id, bucket) -> {
            double tokens = bucket == null
                    ? limits.capacity()
                    : Refill.tokensAfter(bucket.tokens(), limits, now - bucket.updatedAt());
            boolean allowed = tokens >= cost;
            if (allowed) {
                tokens -= cost;
            }
            double rate = limits.tokensPerSecond();
            long untilFull = Refill.nanosUntil(tokens, limits.capacity(), rate);
            decision[0] = new RateLimitDecision(allowed, Refill.whole(tokens, limits.capacity()), limits.capacity(),
                    Duration.ofNanos(untilFull),
                    allowed ? Duration.ZERO : Duration.ofNanos(Refill.nanosUntil(tokens, cost, rate)),
                    RateLimitDecision.Source.LOCAL_BUCKET);
            return new Bucket(tokens, now, now + untilFull);
        }, now);
        return decision[0];
    }

    /** The tokens the bucket holds at {@code now}, taking none; a bucket not kept is full. */
    double peek(String bucketId, BucketLimits limits, long now) {
        Bucket bucket = buckets.get(bucketId, now);
        return bucket == null ? limits.capacity() : Refill.tokensAfter(bucket.tokens(), limits, now - bucket.updatedAt());
    }

    /** Forgets every bucket, e.g. once Redis is back and holds the shared state again. */
    void clear() {
        buckets.clear();
    }

    int size() {
        return buckets.size();
    }
}
