package io.qnsp.common.ratelimit;

import io.qnsp.common.redis.RedisKeys;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The single-key Lua script that refills and takes from a bucket held in Redis, with its key, arguments and reply,
 * so the blocking and a reactive limiter run the same script.
 * <p>
 * Key {@code RedisKeys.key("rl:" + bucketId)}, a hash with fields {@code tokens} (fractional, as text) and
 * {@code ts} (Redis {@code TIME} of the last refill, microseconds). Arguments: capacity, tokens per second, cost.
 * Reply: {@code [allowed (1|0), tokens left (text), retry-after µs (0 when allowed), µs until full]}. Tokens travel
 * as text because Redis truncates Lua numbers to integers on return. Limits travel on every call, so a change applies
 * to the very next decision; a stored count above a shrunken capacity is clamped.
 */
final class TokenBucketScript {

    static final String SOURCE = """
            local capacity = tonumber(ARGV[1])
            local rate = tonumber(ARGV[2])
            local cost = tonumber(ARGV[3])
            -- the server's clock, so every instance measures refill on the same clock
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens = tonumber(state[1])
            local ts = tonumber(state[2])
            if tokens == nil or ts == nil then
              tokens = capacity
              ts = now
            else
              if tokens > capacity then tokens = capacity end
              -- a clock that stepped back (failover) refills nothing instead of going negative
              if now > ts then
                tokens = math.min(capacity, tokens + (now - ts) * rate / 1000000)
                ts = now
              end
            end
            local allowed = 0
            if tokens >= cost then
              tokens = tokens - cost
              allowed = 1
            end
            local max_us = 1000000000000000
            local retry = 0
            if allowed == 0 then retry = math.min(max_us, math.ceil((cost - tokens) * 1000000 / rate)) end
            local reset = math.min(max_us, math.ceil((capacity - tokens) * 1000000 / rate))
            redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.17g', ts))
            -- once the bucket would be full again it equals a missing one, so let idle buckets vanish
            redis.call('PEXPIRE', KEYS[1], math.ceil(reset / 1000) + 1000)
            return {allowed, string.format('%.17g', tokens), retry, reset}
            """;

    @SuppressWarnings("rawtypes")
    static final RedisScript<List> SCRIPT = RedisScript.of(SOURCE, List.class);

    private TokenBucketScript() {
    }

    static String key(RedisKeys keys, String bucketId) {
        return keys.key("rl:" + bucketId);
    }

    static String[] arguments(BucketLimits limits, long cost) {
        return new String[] {Long.toString(limits.capacity()), Double.toString(limits.tokensPerSecond()),
                Long.toString(cost)};
    }

    /** Reads the script's reply; throws {@link IllegalStateException} for anything else. */
    static Reply parse(Object reply) {
        if (!(reply instanceof List<?> values) || values.size() != 4) {
            throw new IllegalStateException("unexpected rate-limit script reply: " + reply);
        }
        try {
            return new Reply(number(values.get(0)) == 1, Double.parseDouble(values.get(1).toString()),
                    number(values.get(2)), number(values.get(3)));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("unexpected rate-limit script reply: " + reply, e);
        }
    }

    private static long number(Object value) {
        return value instanceof Number number ? number.longValue() : Long.parseLong(value.toString());
    }

    /**
     * What the script answered.
     *
     * @param tokens            tokens left after this decision, fractional
     * @param retryAfterMicros  when denied, time until {@code cost} tokens are there
     * @param resetMicros       time until the bucket is full
     */
    record Reply(boolean allowed, double tokens, long retryAfterMicros, long resetMicros) {

        RateLimitDecision toDecision(BucketLimits limits) {
            return new RateLimitDecision(allowed, Refill.whole(tokens, limits.capacity()), limits.capacity(),
                    Duration.of(resetMicros, ChronoUnit.MICROS),
                    allowed ? Duration.ZERO : Duration.of(retryAfterMicros, ChronoUnit.MICROS),
                    RateLimitDecision.Source.REDIS);
        }
    }
}
