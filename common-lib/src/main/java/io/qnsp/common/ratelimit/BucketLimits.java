package io.qnsp.common.ratelimit;

/**
 * A token bucket's shape: it holds at most {@code capacity} tokens and regains {@code tokensPerSecond} each second.
 */
public record BucketLimits(long capacity, double tokensPerSecond) {

    public BucketLimits {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        if (!(tokensPerSecond > 0) || Double.isInfinite(tokensPerSecond)) {
            throw new IllegalArgumentException("tokensPerSecond must be positive");
        }
    }
}
