package io.qnsp.common.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * In-process token buckets for failure mode {@code local}: each instance enforces the limits on its own while Redis
 * is away, with the Redis script's semantics, all-or-nothing across the buckets of one request included. A bucket is
 * dropped once it is full again (it would start full anyway); when the map overflows, a dropped bucket restarts full,
 * which admits a little more than it should but never blocks. Thread-safe: a request holds the locks of its buckets'
 * stripes, taken in ascending order, while it reads and writes them.
 */
final class LocalBuckets {

    private static final int STRIPES = 64;

    private record Bucket(double tokens, long updatedAt, long fullAt) {
    }

    private final BoundedExpiringMap<Bucket> buckets;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    LocalBuckets(int maxEntries) {
        this.buckets = new BoundedExpiringMap<>(maxEntries, Bucket::fullAt);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** One bucket: {@link #tryConsumeAll} of a single bucket. */
    RateLimitDecision tryConsume(String bucketId, BucketLimits limits, long cost, long now) {
        return tryConsumeAll(List.of(new RateLimitBucket(bucketId, limits)), cost, now).getFirst();
    }

    /**
     * Same semantics as the Redis script: refill every bucket, clamp to its current capacity, and take {@code cost}
     * from all of them only if each holds it. Bucket ids must differ.
     *
     * @return when admitted, every bucket's decision; when refused, the decisions of the buckets that lacked the
     *         cost (the others were left as they were)
     */
    List<RateLimitDecision> tryConsumeAll(List<RateLimitBucket> requested, long cost, long now) {
        int[] held = stripesOf(requested);
        for (int stripe : held) {
            stripes[stripe].lock();
        }
        try {
            int n = requested.size();
            double[] tokens = new double[n];
            long[] updatedAt = new long[n];
            boolean admit = true;
            for (int i = 0; i < n; i++) {
                RateLimitBucket bucket = requested.get(i);
                // expiry is by the limits the bucket was written with; these limits decide how full it is now
                Bucket stored = buckets.getEvenIfExpired(bucket.id());
                if (stored == null) {
                    tokens[i] = bucket.limits().capacity();
                    updatedAt[i] = now;
                } else {
                    tokens[i] = Refill.tokensAfter(stored.tokens(), bucket.limits(), now - stored.updatedAt());
                    // a caller that read the clock earlier but locked later must not move the refill point back
                    updatedAt[i] = Math.max(now, stored.updatedAt());
                }
                admit &= tokens[i] >= cost;
            }
            List<RateLimitDecision> decisions = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                BucketLimits limits = requested.get(i).limits();
                boolean sufficient = tokens[i] >= cost;
                double left = admit ? tokens[i] - cost : tokens[i];
                double rate = limits.tokensPerSecond();
                long untilFull = Refill.nanosUntil(left, limits.capacity(), rate);
                buckets.put(requested.get(i).id(), new Bucket(left, updatedAt[i], updatedAt[i] + untilFull), now);
                if (admit || !sufficient) {
                    decisions.add(new RateLimitDecision(admit, Refill.whole(left, limits.capacity()),
                            limits.capacity(), Duration.ofNanos(untilFull),
                            admit ? Duration.ZERO : Duration.ofNanos(Refill.nanosUntil(left, cost, rate)),
                            RateLimitDecision.Source.LOCAL_BUCKET));
                }
            }
            return decisions;
        } finally {
            for (int i = held.length - 1; i >= 0; i--) {
                stripes[held[i]].unlock();
            }
        }
    }

    /** The tokens the bucket holds at {@code now}, taking none; a bucket not kept is full. */
    double peek(String bucketId, BucketLimits limits, long now) {
        Bucket bucket = buckets.get(bucketId, now);
        return bucket == null ? limits.capacity()
                : Refill.tokensAfter(bucket.tokens(), limits, now - bucket.updatedAt());
    }

    /** Forgets every bucket, e.g. once Redis is back and holds the shared state again. */
    void clear() {
        buckets.clear();
    }

    int size() {
        return buckets.size();
    }

    /** The distinct stripes of the buckets, ascending: the order every request locks them in, so none deadlock. */
    private static int[] stripesOf(List<RateLimitBucket> requested) {
        int[] stripes = new int[requested.size()];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = Math.floorMod(spread(requested.get(i).id().hashCode()), STRIPES);
        }
        Arrays.sort(stripes);
        return Arrays.stream(stripes).distinct().toArray();
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
