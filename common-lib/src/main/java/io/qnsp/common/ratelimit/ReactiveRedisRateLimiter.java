package io.qnsp.common.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.qnsp.common.redis.RedisKeys;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * The {@link ReactiveRateLimiter} on Redis through a {@link ReactiveStringRedisTemplate}: the engine's steps around
 * one non-blocking script call, exactly as {@link RedisRateLimiter} takes them around a blocking one. The calls go
 * through {@link CoalescedScriptCalls}, so decisions made while another is on its way to Redis share the next call.
 */
final class ReactiveRedisRateLimiter implements ReactiveRateLimiter {

    /** What the script call gave: a reply or the failure, so the engine's own errors are never mistaken for Redis's. */
    private record Outcome(TokenBucketScript.Reply reply, Throwable failure) {
    }

    private final CoalescedScriptCalls calls;
    private final RateLimitEngine engine;

    ReactiveRedisRateLimiter(ReactiveStringRedisTemplate redis, RedisKeys keys, RateLimitEngine engine,
                             MeterRegistry registry) {
        this.calls = new CoalescedScriptCalls(redis, keys, registry);
        this.engine = engine;
    }

    @Override
    public Mono<RateLimitDecision> tryConsume(String bucketId, BucketLimits limits, long cost) {
        return Mono.defer(() -> decide(List.of(new RateLimitBucket(bucketId, limits)), cost));
    }

    @Override
    public Mono<RateLimitDecision> tryConsumeAll(List<RateLimitBucket> buckets, long cost) {
        return Mono.defer(() -> decide(buckets, cost));
    }

    private Mono<RateLimitDecision> decide(List<RateLimitBucket> buckets, long cost) {
        long sentAt = engine.now();
        RateLimitDecision local = engine.beforeRedis(buckets, cost, sentAt);
        if (local != null) {
            return Mono.just(local);
        }
        long start = System.nanoTime();
        return run(buckets, cost).map(outcome -> outcome.failure() == null
                ? engine.redisAnswered(buckets, outcome.reply(), sentAt, System.nanoTime() - start)
                : engine.redisFailed(buckets, cost, outcome.failure(), System.nanoTime() - start));
    }

    @Override
    public Mono<RateLimitDecision> peek(String bucketId, BucketLimits limits) {
        return Mono.defer(() -> {
            long sentAt = engine.now();
            RateLimitDecision local = engine.beforePeek(bucketId, limits, sentAt);
            if (local != null) {
                return Mono.just(local);
            }
            long start = System.nanoTime();
            return run(List.of(new RateLimitBucket(bucketId, limits)), 0).map(outcome -> outcome.failure() == null
                    ? engine.peekAnswered(limits, outcome.reply(), sentAt, System.nanoTime() - start)
                    : engine.peekFailed(bucketId, limits, outcome.failure(), System.nanoTime() - start));
        });
    }

    /** The script's reply (EVALSHA, or EVAL once when the server lost its script cache), or the failure. */
    private Mono<Outcome> run(List<RateLimitBucket> buckets, long cost) {
        return calls.call(buckets, cost)
                .map(reply -> new Outcome(reply, null))
                .onErrorResume(failure -> Mono.just(new Outcome(null, failure)));
    }
}
