package io.qnsp.common.ratelimit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.qnsp.common.ratelimit.RateLimitProperties.RedisFailureMode;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.TestRedis;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Fixtures for rate-limit tests: Redis clients configured like production, engines, a clock tests can move. */
final class TestRateLimiters {

    static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

    static {
        // without Spring Boot's logging setup logback logs Lettuce and Netty at DEBUG
        LoggingSystem.get(TestRateLimiters.class.getClassLoader()).setLogLevel(null, LogLevel.INFO);
    }

    private TestRateLimiters() {
    }

    /** A Lettuce factory with the client options {@code RedisAutoConfiguration} gives every service. */
    static LettuceConnectionFactory connectionFactory(String host, int port) {
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(COMMAND_TIMEOUT)
                .clientOptions(ClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                        .build())
                .build();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port), client);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    static LettuceConnectionFactory connectionFactory(TestRedis redis) {
        return connectionFactory(redis.host(), redis.port());
    }

    static RedisKeys freshKeys() {
        return new RedisKeys("t" + UUID.randomUUID().toString().substring(0, 8) + ":");
    }

    static RateLimitProperties properties(RedisFailureMode mode) {
        return new RateLimitProperties(mode, Duration.ofSeconds(1), 100_000, 100_000);
    }

    static RedisRateLimiter limiter(StringRedisTemplate redis, RedisKeys keys, RedisFailureMode mode,
                                    MeterRegistry meters, LongSupplier clock) {
        return new RedisRateLimiter(redis, keys, new RateLimitEngine(properties(mode), meters, clock));
    }

    static ReactiveRedisRateLimiter reactiveLimiter(LettuceConnectionFactory factory, RedisKeys keys,
                                                    RedisFailureMode mode, MeterRegistry meters, LongSupplier clock) {
        return new ReactiveRedisRateLimiter(new ReactiveStringRedisTemplate(factory), keys,
                new RateLimitEngine(properties(mode), meters, clock));
    }

    /** Script executions Redis itself counted (EVALSHA plus EVAL), from {@code INFO commandstats}. */
    static long scriptCalls(StringRedisTemplate redis) {
        Properties stats = redis.execute((RedisCallback<Properties>) connection ->
                connection.serverCommands().info("commandstats"));
        return calls(stats, "cmdstat_evalsha") + calls(stats, "cmdstat_eval");
    }

    private static long calls(Properties stats, String command) {
        String line = stats.getProperty(command);
        if (line == null) {
            return 0;
        }
        for (String field : line.split(",")) {
            if (field.startsWith("calls=")) {
                return Long.parseLong(field.substring("calls=".length()));
            }
        }
        throw new IllegalStateException("no calls in " + line);
    }

    /** Redis script calls the engine attempted, answered or failed, as its timer counted them. */
    static long scriptAttempts(MeterRegistry meters) {
        return meters.find(RateLimitEngine.REDIS_SCRIPT).timers().stream().mapToLong(Timer::count).sum();
    }

    static double decisions(MeterRegistry meters, String outcome, String source) {
        return meters.get(RateLimitEngine.DECISIONS).tag("outcome", outcome).tag("source", source).counter().count();
    }

    /** Captures what {@link RateLimitEngine} logs; detach with {@code stop()}. */
    static ListAppender<ILoggingEvent> engineLog() {
        Logger logger = (Logger) LoggerFactory.getLogger(RateLimitEngine.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    static void detach(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(RateLimitEngine.class)).detachAppender(appender);
        appender.stop();
    }

    /** Local monotonic time that only moves when told to. */
    static final class ManualClock implements LongSupplier {

        private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        @Override
        public long getAsLong() {
            return nanos.get();
        }

        void advance(Duration duration) {
            nanos.addAndGet(duration.toNanos());
        }
    }
}
