package io.qnsp.common.ratelimit;

import java.time.Duration;

/**
 * Denials Redis answered, kept per bucket so that requests which certainly cannot be admitted yet are denied without
 * a Redis round trip. Sound because consumption by anyone only lowers the real token count, and measuring the refill
 * from the moment the request was sent (before Redis read its clock) over-estimates it: while
 * {@code min(capacity, tokens + rate * elapsedSinceSend) < cost}, Redis would deny too. Thread-safe.
 */
final class DenialMemory {

    private record Denial(BucketLimits limits, double tokens, long sentAt, long expiresAt) {
    }

    private final BoundedExpiringMap<Denial> denials;

    DenialMemory(int maxEntries) {
        this.denials = new BoundedExpiringMap<>(maxEntries, Denial::expiresAt);
    }

    /**
     * Remembers that Redis reported {@code tokens} for a request sent at {@code sentAt} (local monotonic nanos).
     * The entry lives until the bucket could be full again, after which it cannot deny anything.
     */
    void remember(String bucketId, BucketLimits limits, double tokens, long sentAt) {
        long untilFull = Refill.nanosUntil(tokens, limits.capacity(), limits.tokensPerSecond());
        denials.put(bucketId, new Denial(limits, tokens, sentAt, sentAt + untilFull), sentAt);
    }

    /** A local denial when a remembered one proves {@code cost} cannot be admitted at {@code now}; else null. */
    RateLimitDecision check(String bucketId, BucketLimits limits, long cost, long now) {
        Denial denial = denials.get(bucketId, now);
        if (denial == null || !denial.limits().equals(limits)) {
            return null;
        }
        double atMost = Refill.tokensAfter(denial.tokens(), limits, now - denial.sentAt());
        if (atMost >= cost) {
            return null;
        }
        double rate = limits.tokensPerSecond();
        return new RateLimitDecision(false, Refill.whole(atMost, limits.capacity()), limits.capacity(),
                Duration.ofNanos(Refill.nanosUntil(atMost, limits.capacity(), rate)),
                Duration.ofNanos(Refill.nanosUntil(atMost, cost, rate)),
                RateLimitDecision.Source.LOCAL_DENIAL);
    }

    int size() {
        return denials.size();
    }
}
