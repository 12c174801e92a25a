package io.qnsp.ratelimit.apikey;

import io.qnsp.common.ratelimit.BucketLimits;

/** A key's rate limit: a token bucket refilled at {@code tokensPerSecond} holding at most {@code burstCapacity}. */
public record Limits(String algorithm, int tokensPerSecond, int burstCapacity) {

    public static final String TOKEN_BUCKET = "token_bucket";

    public BucketLimits bucket() {
        return new BucketLimits(burstCapacity, tokensPerSecond);
    }
}
