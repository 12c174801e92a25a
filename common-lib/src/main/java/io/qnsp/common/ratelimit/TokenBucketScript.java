package io.qnsp.common.ratelimit;

import io.qnsp.common.redis.RedisKeys;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The Lua script that refills the buckets of one request in Redis and takes the cost from all of them or from none,
 * with its keys, arguments and reply, so the blocking and the reactive limiter run the same script. One bucket (a
 * single {@code tryConsume}, or a look with cost 0) is the case N = 1.
 * <p>
 * Keys: the request's N buckets (N &ge; 1), each {@code RedisKeys.key("rl:" + bucketId)}, a hash with fields
 * {@code tokens} (fractional, as text) and {@code ts} (Redis {@code TIME} of the last refill, microseconds).
 * Arguments: capacity and tokens per second of each bucket in the order of the keys, then the cost; for one bucket
 * that is {@code capacity, tokens per second, cost}. Every bucket is refilled on the one {@code TIME} the script
 * reads; the request is admitted only when every bucket holds {@code cost} tokens, and then all of them are charged.
 * When any bucket lacks them, none is charged, but every bucket's refill is still written back (the same state a
 * later call would compute, so nothing changes in meaning), which keeps the work per call fixed: {@code TIME}, then
 * {@code HMGET}, {@code HSET} and {@code PEXPIRE} per bucket.
 * <p>
 * Reply: four values per bucket, in the order of the keys: {@code [sufficient (1|0), tokens left (text), retry-after
 * µs (0 when sufficient), µs until full]}, where sufficient means the bucket held {@code cost} tokens, and tokens
 * left are after this call's charge (uncharged when the call was refused). Tokens travel as text because Redis
 * truncates Lua numbers to integers on return. Limits travel on every call, so a change applies to the very next
 * decision; a stored count above a shrunken capacity is clamped.
 * <p>
 * A batch decides several requests in one call, one after the other, as that many calls would at the same instant
 * (a bucket two requests share sees the first one's charge): the first argument is {@code batch}, then per request
 * its number of buckets, its cost and its buckets' capacity and rate; the keys are all the requests' buckets in
 * order, and the reply is every request's reply in order. The whole batch is checked before anything is written.
 * <p>
 * All keys of one call must live on one Redis node: the platform runs against a single Redis (or a primary with
 * replicas), not Redis Cluster, where a call whose keys fall into different hash slots is refused.
 */
final class TokenBucketScript {

    static final String SOURCE = """
            -- charges one request: its n buckets are KEYS[k + 1 .. k + n], their capacity and rate ARGV[a], ARGV[a + 1],
            -- then ARGV[a + 2], ARGV[a + 3] and so on; the reply gets four values per bucket
            local function decide(now, k, n, a, cost, reply)
              local capacity, rate, tokens, ts = {}, {}, {}, {}
              local admit = true
              for i = 1, n do
                capacity[i] = tonumber(ARGV[a + 2 * i - 2])
                rate[i] = tonumber(ARGV[a + 2 * i - 1])
                local state = redis.call('HMGET', KEYS[k + i], 'tokens', 'ts')
                local t = tonumber(state[1])
                local s = tonumber(state[2])
                if t == nil or s == nil then
                  t = capacity[i]
                  s = now
                else
                  if t > capacity[i] then t = capacity[i] end
                  -- a clock that stepped back (failover) refills nothing instead of going negative
                  if now > s then
                    t = math.min(capacity[i], t + (now - s) * rate[i] / 1000000)
                    s = now
                  end
                end
                tokens[i] = t
                ts[i] = s
                if t < cost then admit = false end
              end
              local max_us = 1000000000000000
              for i = 1, n do
                local t = tokens[i]
                local sufficient = 0
                if t >= cost then sufficient = 1 end
                if admit then t = t - cost end
                local retry = 0
                if sufficient == 0 then retry = math.min(max_us, math.ceil((cost - t) * 1000000 / rate[i])) end
                local reset = math.min(max_us, math.ceil((capacity[i] - t) * 1000000 / rate[i]))
                local left = string.format('%.17g', t)
                redis.call('HSET', KEYS[k + i], 'tokens', left, 'ts', string.format('%.17g', ts[i]))
                -- once the bucket would be full again it equals a missing one, so let idle buckets vanish
                redis.call('PEXPIRE', KEYS[k + i], math.ceil(reset / 1000) + 1000)
                reply[#reply + 1] = sufficient
                reply[#reply + 1] = left
                reply[#reply + 1] = retry
                reply[#reply + 1] = reset
              end
            end
            -- what to charge, checked whole before anything is written: {k, n, a, cost} per request
            local requests = {}
            if ARGV[1] == 'batch' then
              -- several requests, decided one after the other as separate calls would be at the same instant:
              -- per request its bucket count and cost, then its buckets' capacity and rate
              local a, k = 2, 0
              while a <= #ARGV do
                local n = tonumber(ARGV[a])
                local cost = tonumber(ARGV[a + 1])
                if n == nil or cost == nil or n < 1 or k + n > #KEYS or a + 1 + 2 * n > #ARGV then
                  return redis.error_reply('rate-limit script: malformed batch at argument ' .. a)
                end
                requests[#requests + 1] = {k, n, a + 2, cost}
                k = k + n
                a = a + 2 + 2 * n
              end
              if k ~= #KEYS or #requests == 0 then
                return redis.error_reply('rate-limit script: the batch names ' .. k .. ' buckets for ' .. #KEYS .. ' keys')
              end
            else
              local n = #KEYS
              if n == 0 or #ARGV ~= 2 * n + 1 then
                return redis.error_reply('rate-limit script: expected capacity and rate per key, then the cost')
              end
              requests[1] = {0, n, 1, tonumber(ARGV[2 * n + 1])}
            end
            -- the server's clock, so every instance measures refill on the same clock
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
            local reply = {}
            for _, r in ipairs(requests) do
              decide(now, r[1], r[2], r[3], r[4], reply)
            end
            return reply
            """;

    @SuppressWarnings("rawtypes")
    static final RedisScript<List> SCRIPT = RedisScript.of(SOURCE, List.class);

    private TokenBucketScript() {
    }

    static String key(RedisKeys keys, String bucketId) {
        return keys.key("rl:" + bucketId);
    }

    static List<String> keys(RedisKeys keys, List<RateLimitBucket> buckets) {
        List<String> names = new ArrayList<>(buckets.size());
        for (RateLimitBucket bucket : buckets) {
            names.add(key(keys, bucket.id()));
        }
        return names;
    }

    static String[] arguments(List<RateLimitBucket> buckets, long cost) {
        String[] arguments = new String[2 * buckets.size() + 1];
        for (int i = 0; i < buckets.size(); i++) {
            BucketLimits limits = buckets.get(i).limits();
            arguments[2 * i] = Long.toString(limits.capacity());
            arguments[2 * i + 1] = Double.toString(limits.tokensPerSecond());
        }
        arguments[arguments.length - 1] = Long.toString(cost);
        return arguments;
    }

    /** One request of a batch: its buckets, charged all-or-nothing, and its cost (0 for a look). */
    record Call(List<RateLimitBucket> buckets, long cost) {
    }

    /** The keys of a batch: every call's buckets, in order. */
    static List<String> batchKeys(RedisKeys keys, List<Call> calls) {
        List<String> names = new ArrayList<>();
        for (Call call : calls) {
            for (RateLimitBucket bucket : call.buckets()) {
                names.add(key(keys, bucket.id()));
            }
        }
        return names;
    }

    /** The arguments of a batch: {@code batch}, then per call its bucket count, its cost and its buckets' limits. */
    static List<String> batchArguments(List<Call> calls) {
        List<String> arguments = new ArrayList<>();
        arguments.add("batch");
        for (Call call : calls) {
            arguments.add(Integer.toString(call.buckets().size()));
            arguments.add(Long.toString(call.cost()));
            for (RateLimitBucket bucket : call.buckets()) {
                arguments.add(Long.toString(bucket.limits().capacity()));
                arguments.add(Double.toString(bucket.limits().tokensPerSecond()));
            }
        }
        return arguments;
    }

    /** Reads the reply of a batch: one {@link Reply} per call, in order; {@link IllegalStateException} otherwise. */
    static List<Reply> parseBatch(Object reply, List<Call> calls) {
        int expected = 0;
        for (Call call : calls) {
            expected += 4 * call.buckets().size();
        }
        if (!(reply instanceof List<?> values) || values.size() != expected) {
            throw new IllegalStateException("unexpected rate-limit script reply to a batch of " + calls.size()
                    + " requests: " + (reply instanceof List<?> list ? list.size() + " values" : reply));
        }
        List<Reply> replies = new ArrayList<>(calls.size());
        int offset = 0;
        for (Call call : calls) {
            int size = 4 * call.buckets().size();
            replies.add(parse(values.subList(offset, offset + size), call.buckets().size()));
            offset += size;
        }
        return replies;
    }

    /** Reads the script's reply for {@code buckets} keys; throws {@link IllegalStateException} for anything else. */
    static Reply parse(Object reply, int buckets) {
        if (!(reply instanceof List<?> values) || values.size() != 4 * buckets) {
            throw new IllegalStateException("unexpected rate-limit script reply: " + reply);
        }
        try {
            List<BucketReply> parsed = new ArrayList<>(buckets);
            for (int i = 0; i < 4 * buckets; i += 4) {
                parsed.add(new BucketReply(number(values.get(i)) == 1, Double.parseDouble(values.get(i + 1).toString()),
                        number(values.get(i + 2)), number(values.get(i + 3))));
            }
            return new Reply(parsed);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("unexpected rate-limit script reply: " + reply, e);
        }
    }

    private static long number(Object value) {
        return value instanceof Number number ? number.longValue() : Long.parseLong(value.toString());
    }

    /**
     * What the script answered: one entry per bucket, in the order of the keys. The request was admitted, and every
     * bucket charged, exactly when every bucket was sufficient.
     */
    record Reply(List<BucketReply> buckets) {

        Reply {
            buckets = List.copyOf(buckets);
        }

        boolean allowed() {
            for (BucketReply bucket : buckets) {
                if (!bucket.sufficient()) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * One bucket's part of the answer.
     *
     * @param sufficient       whether the bucket held the cost
     * @param tokens           tokens left after this call, fractional (charged only when the call was admitted)
     * @param retryAfterMicros when not sufficient, time until {@code cost} tokens are there; else 0
     * @param resetMicros      time until the bucket is full
     */
    record BucketReply(boolean sufficient, double tokens, long retryAfterMicros, long resetMicros) {

        /** This bucket's view of a call that was {@code allowed} (or not) as a whole. */
        RateLimitDecision toDecision(BucketLimits limits, boolean allowed) {
            return new RateLimitDecision(allowed, Refill.whole(tokens, limits.capacity()), limits.capacity(),
                    Duration.of(resetMicros, ChronoUnit.MICROS),
                    allowed ? Duration.ZERO : Duration.of(retryAfterMicros, ChronoUnit.MICROS),
                    RateLimitDecision.Source.REDIS);
        }
    }
}
