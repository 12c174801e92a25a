package io.qnsp.common.ratelimit;

import reactor.core.publisher.Mono;

import java.util.List;

/**
 * The platform's token-bucket engine for reactive code (the gateway): the same script, denial memory, failure modes
 * and metrics as {@link RateLimiter}, without ever blocking the calling thread. Thread-safe.
 */
public interface ReactiveRateLimiter {

    /**
     * Takes {@code cost} tokens from the bucket {@code bucketId} if it holds that many: at most one Redis round trip.
     * Errors with {@link RateLimiterUnavailable} when Redis cannot be reached and the failure mode is
     * {@code fail-closed}, with {@link IllegalArgumentException} when {@code cost} is below 1 or above the capacity.
     */
    Mono<RateLimitDecision> tryConsume(String bucketId, BucketLimits limits, long cost);

    /**
     * Charges a request that must pass every bucket (e.g. per minute, per hour and per day), all-or-nothing, exactly
     * as {@link RateLimiter#tryConsumeAll}: admitted only when every bucket holds {@code cost} tokens, and then each
     * is charged; when any bucket lacks them, none is. One Redis round trip (one script call for all the buckets),
     * none when the local memory of a denial proves that one of the buckets would deny; one decision in the metrics.
     * The answer is the decision that governs: the denial with the longest retry-after, or, when all admit, the
     * decision with the fewest tokens left (the first such bucket on a tie). Errors as {@link #tryConsume}, and with
     * {@link IllegalArgumentException} when there is no bucket or two share an id.
     */
    Mono<RateLimitDecision> tryConsumeAll(List<RateLimitBucket> buckets, long cost);

    /**
     * The bucket's state without taking a token, as a decision for one more token of cost 1: one round trip (the
     * script with cost 0), not counted as a decision. While Redis is away the failure mode answers: a full bucket
     * ({@code fail-open}), the in-process bucket ({@code local}) or {@link RateLimiterUnavailable}.
     */
    Mono<RateLimitDecision> peek(String bucketId, BucketLimits limits);
}
