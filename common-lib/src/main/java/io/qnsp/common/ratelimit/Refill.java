package io.qnsp.common.ratelimit;

/** Token-bucket arithmetic for the in-process pieces; it mirrors what {@link TokenBucketScript} does in Redis. */
final class Refill {

    /** About 73 years: far enough to mean "never" while sums of nano times cannot overflow. */
    static final long MAX_NANOS = 1L << 61;

    private Refill() {
    }

    /** Tokens after {@code elapsedNanos} of refill, starting from {@code tokens} clamped to the current capacity. */
    static double tokensAfter(double tokens, BucketLimits limits, long elapsedNanos) {
        double start = Math.min(tokens, limits.capacity());
        if (elapsedNanos <= 0) {
            return start;
        }
        return Math.min(limits.capacity(), start + limits.tokensPerSecond() * (elapsedNanos / 1e9));
    }

    /** Time for a bucket holding {@code tokens} to reach {@code target}, rounded up. */
    static long nanosUntil(double tokens, double target, double tokensPerSecond) {
        if (tokens >= target) {
            return 0;
        }
        double nanos = Math.ceil((target - tokens) / tokensPerSecond * 1e9);
        return nanos >= MAX_NANOS ? MAX_NANOS : (long) nanos;
    }

    /** The whole tokens a caller may be told are left. */
    static long whole(double tokens, long capacity) {
        return (long) Math.max(0, Math.min(capacity, Math.floor(tokens)));
    }
}
