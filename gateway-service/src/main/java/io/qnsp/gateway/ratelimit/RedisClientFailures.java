package io.qnsp.gateway.ratelimit;

import io.qnsp.common.ratelimit.RateLimitProperties;
import io.qnsp.common.ratelimit.RateLimiterUnavailable;
import io.qnsp.common.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * The counts in Redis, shared by every gateway instance: a hash {@code gateway:client-failures:<sha-256 of the client
 * id>} with the refusals, since when they are counted and until when the client is paused, changed by one script
 * call per refusal; it expires a window after the pause it holds ends. Times are the gateway's clock. While Redis
 * cannot be reached, the rate-limit engine's failure mode ({@code qnsp.ratelimit.redis-failure-mode}) decides:
 * {@code local} counts in this instance's memory, {@code fail-open} counts nothing and pauses no one,
 * {@code fail-closed} refuses token requests that name a client ({@link RateLimiterUnavailable}, 503).
 */
final class RedisClientFailures implements ClientFailures {

    private static final Logger log = LoggerFactory.getLogger(RedisClientFailures.class);

    /** {@link ClientFailures.Count#failed}, in Redis. */
    private static final RedisScript<Long> FAILED = RedisScript.of("""
            local now = tonumber(ARGV[1])
            local window = tonumber(ARGV[2])
            local max = tonumber(ARGV[3])
            local backoff = tonumber(ARGV[4])
            local cap = tonumber(ARGV[5])
            local state = redis.call('HMGET', KEYS[1], 'failures', 'since', 'until')
            local failures = tonumber(state[1]) or 0
            local since = tonumber(state[2]) or 0
            local paused = tonumber(state[3]) or 0
            if failures < max then
              if now - since >= window then failures = 0 end
            elseif now - paused >= window then
              failures = 0
            end
            if failures == 0 then since = now end
            failures = failures + 1
            local pause = 0
            if failures >= max then
              pause = math.floor(math.min(cap, backoff * 2 ^ math.min(failures - max, 40)))
              paused = now + pause
            end
            local function whole(n) return string.format('%.0f', n) end
            redis.call('HSET', KEYS[1], 'failures', whole(failures), 'since', whole(since), 'until', whole(paused))
            redis.call('PEXPIRE', KEYS[1], whole(pause + window))
            return pause
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final RedisKeys keys;
    private final GatewayRateLimitProperties.ClientFailures settings;
    private final Clock clock;
    private final RateLimitProperties engine;
    private final LocalClientFailures local;

    RedisClientFailures(ReactiveStringRedisTemplate redis, RedisKeys keys,
                        GatewayRateLimitProperties.ClientFailures settings, Clock clock, RateLimitProperties engine) {
        this.redis = redis;
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
        this.engine = engine;
        this.local = new LocalClientFailures(settings, clock, engine.localBucketsSize());
    }

    @Override
    public Mono<Duration> pause(String clientId) {
        return Mono.defer(() -> {
            long now = clock.millis();
            return redis.<String, String>opsForHash().get(key(clientId), "until")
                    .map(until -> Duration.ofMillis(Math.max(0, Long.parseLong(until) - now)))
                    .defaultIfEmpty(Duration.ZERO)
                    .onErrorResume(failure -> fallback(failure, () -> local.pause(clientId), Duration.ZERO, true));
        });
    }

    @Override
    public Mono<Duration> failed(String clientId) {
        return Mono.defer(() -> redis.execute(FAILED, List.of(key(clientId)), List.of(
                        Long.toString(clock.millis()), Long.toString(settings.window().toMillis()),
                        Integer.toString(settings.maxFailures()), Long.toString(settings.backoff().toMillis()),
                        Long.toString(settings.maxBackoff().toMillis())))
                .next()
                .map(Duration::ofMillis)
                .onErrorResume(failure -> fallback(failure, () -> local.failed(clientId), Duration.ZERO, false)));
    }

    @Override
    public Mono<Void> succeeded(String clientId) {
        return Mono.defer(() -> redis.delete(key(clientId))
                .then()
                .onErrorResume(failure -> fallback(failure, () -> local.succeeded(clientId), null, false)));
    }

    /** What the engine's failure mode answers while Redis cannot be reached. */
    private <T> Mono<T> fallback(Throwable failure, Supplier<Mono<T>> locally, T open, boolean refuse) {
        log.debug("Client failure counts cannot use Redis ({}); failure mode {} decides", failure.toString(),
                engine.redisFailureMode());
        return switch (engine.redisFailureMode()) {
            case LOCAL -> locally.get();
            case FAIL_OPEN -> Mono.justOrEmpty(open);
            // only the question whether a client may ask is refused; a refusal that cannot be counted is let go
            case FAIL_CLOSED -> refuse ? Mono.error(new RateLimiterUnavailable(engine.unavailableRetryAfter()))
                    : Mono.justOrEmpty(open);
        };
    }

    private String key(String clientId) {
        return keys.key("gateway:client-failures:" + sha256(clientId));
    }

    /** Client ids are chosen by the caller: hashed, no id makes a key longer or different in kind. */
    private static String sha256(String clientId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(clientId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
