package io.qnsp.common.ratelimit;

import io.qnsp.common.redis.RedisKeys;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.util.List;

/** The {@link RateLimiter} on Redis through a blocking {@link StringRedisTemplate}: at most one round trip each. */
final class RedisRateLimiter implements RateLimiter {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final RateLimitEngine engine;

    RedisRateLimiter(StringRedisTemplate redis, RedisKeys keys, RateLimitEngine engine) {
        this.redis = redis;
        this.keys = keys;
        this.engine = engine;
    }

    @Override
    public RateLimitDecision tryConsume(String bucketId, BucketLimits limits, long cost) {
        return tryConsumeAll(List.of(new RateLimitBucket(bucketId, limits)), cost);
    }

    @Override
    public RateLimitDecision tryConsumeAll(List<RateLimitBucket> buckets, long cost) {
        long sentAt = engine.now();
        RateLimitDecision local = engine.beforeRedis(buckets, cost, sentAt);
        if (local != null) {
            return local;
        }
        long start = System.nanoTime();
        TokenBucketScript.Reply reply;
        try {
            // EVALSHA, and EVAL once when the server lost its script cache (restart, SCRIPT FLUSH)
            reply = TokenBucketScript.parse(redis.execute(TokenBucketScript.SCRIPT,
                    TokenBucketScript.keys(keys, buckets), (Object[]) TokenBucketScript.arguments(buckets, cost)),
                    buckets.size());
        } catch (RuntimeException e) {
            return engine.redisFailed(buckets, cost, e, System.nanoTime() - start);
        }
        return engine.redisAnswered(buckets, reply, sentAt, System.nanoTime() - start);
    }
}
