package io.qnsp.common.ratelimit;

import io.qnsp.common.redis.RedisKeys;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@link ReactiveRateLimiter} on Redis through a {@link ReactiveStringRedisTemplate}: the engine's steps around
 * one non-blocking script call, exactly as {@link RedisRateLimiter} takes them around a blocking one.
 */
final class ReactiveRedisRateLimiter implements ReactiveRateLimiter {

    /** What the script call gave: a reply or the failure, so the engine's own errors are never mistaken for Redis's. */
    private record Outcome(TokenBucketScript.Reply reply, Throwable failure) {
    }

    private final ReactiveStringRedisTemplate redis;
    private final RedisKeys keys;
    private final RateLimitEngine engine;

    ReactiveRedisRateLimiter(ReactiveStringRedisTemplate redis, RedisKeys keys, RateLimitEngine engine) {
        this.redis = redis;
        this.keys = keys;
        this.engine = engine;
    }

    @Override
    public Mono<RateLimitDecision> tryConsume(String bucketId, BucketLimits limits, long cost) {
        return Mono.defer(() -> {
            long sentAt = engine.now();
            RateLimitDecision local = engine.beforeRedis(bucketId, limits, cost, sentAt);
            if (local != null) {
                return Mono.just(local);
            }
            long start = System.nanoTime();
            return run(bucketId, limits, cost).map(outcome -> outcome.failure() == null
                    ? engine.redisAnswered(bucketId, limits, outcome.reply(), sentAt, System.nanoTime() - start)
                    : engine.redisFailed(bucketId, limits, cost, outcome.failure(), System.nanoTime() - start));
        });
    }

    @Override
    public Mono<RateLimitDecision> tryConsumeAll(List<RateLimitBucket> buckets, long cost) {
        return Mono.defer(() -> {
            if (buckets == null || buckets.isEmpty()) {
                throw new IllegalArgumentException("at least one bucket is required");
            }
            Set<String> ids = new HashSet<>();
            for (RateLimitBucket bucket : buckets) {
                if (!ids.add(bucket.id())) {
                    throw new IllegalArgumentException("bucket ids must differ: " + bucket.id());
                }
            }
            long now = engine.now();
            List<RateLimitDecision> remembered = new ArrayList<>();
            for (RateLimitBucket bucket : buckets) {
                RateLimitDecision denial = engine.rememberedDenial(bucket.id(), bucket.limits(), cost, now);
                if (denial != null) {
                    remembered.add(denial);
                }
            }
            if (!remembered.isEmpty()) {
                return Mono.just(governing(remembered));
            }
            return Flux.fromIterable(buckets)
                    .flatMapSequential(bucket -> tryConsume(bucket.id(), bucket.limits(), cost))
                    .collectList()
                    .map(ReactiveRedisRateLimiter::governing);
        });
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
            return run(bucketId, limits, 0).map(outcome -> outcome.failure() == null
                    ? engine.peekAnswered(limits, outcome.reply(), sentAt, System.nanoTime() - start)
                    : engine.peekFailed(bucketId, limits, outcome.failure(), System.nanoTime() - start));
        });
    }

    /** One EVALSHA (EVAL once when the server lost its script cache), read into a reply or the failure. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private Mono<Outcome> run(String bucketId, BucketLimits limits, long cost) {
        Flux<Object> values = (Flux) redis.execute(TokenBucketScript.SCRIPT,
                List.of(TokenBucketScript.key(keys, bucketId)), List.of(TokenBucketScript.arguments(limits, cost)));
        return values.collectList()
                // Lettuce emits a multi-bulk reply element by element; a single list is accepted too
                .map(list -> TokenBucketScript.parse(list.size() == 1 && list.getFirst() instanceof List<?> inner
                        ? inner : list))
                .map(reply -> new Outcome(reply, null))
                .onErrorResume(failure -> Mono.just(new Outcome(null, failure)));
    }

    /** The denial that keeps the caller waiting longest, else the admission with the fewest tokens left. */
    static RateLimitDecision governing(List<RateLimitDecision> decisions) {
        RateLimitDecision governing = null;
        for (RateLimitDecision decision : decisions) {
            if (governing == null || governs(decision, governing)) {
                governing = decision;
            }
        }
        return governing;
    }

    private static boolean governs(RateLimitDecision candidate, RateLimitDecision current) {
        if (candidate.allowed() != current.allowed()) {
            return !candidate.allowed();
        }
        if (!candidate.allowed()) {
            return candidate.retryAfter().compareTo(current.retryAfter()) > 0;
        }
        return candidate.remainingTokens() < current.remainingTokens();
    }
}
