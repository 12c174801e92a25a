package io.qnsp.common.ratelimit;

import java.time.Duration;

/**
 * The answer for one request against one bucket.
 *
 * @param allowed         whether the cost was taken from the bucket
 * @param remainingTokens whole tokens left after this decision
 * @param limit           the bucket's capacity
 * @param resetIn         time until the bucket is full again
 * @param retryAfter      when denied, time until the requested cost could be admitted; zero when allowed
 * @param source          what decided: Redis, the local memory of a denial, or a Redis-outage fallback
 */
public record RateLimitDecision(boolean allowed, long remainingTokens, long limit, Duration resetIn,
                                Duration retryAfter, Source source) {

    /** What produced a decision. */
    public enum Source {
        /** the shared bucket in Redis */
        REDIS,
        /** a denial remembered locally until the bucket can have refilled enough */
        LOCAL_DENIAL,
        /** Redis unreachable, failure mode {@code fail-open}: admitted without counting */
        FAIL_OPEN,
        /** Redis unreachable, failure mode {@code local}: decided by an in-process bucket */
        LOCAL_BUCKET
    }
}
