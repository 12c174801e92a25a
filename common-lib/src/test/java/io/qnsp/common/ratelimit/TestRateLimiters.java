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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fixtures for rate-limit tests: Redis clients configured like production but for the command timeout, engines, a
 * clock tests can move, and runs of requests timed so that refill bounds follow from how long they took.
 */
final class TestRateLimiters {

    /** Not production's 500 ms: see {@link TestRedis#COMMAND_TIMEOUT}; a stopped Redis still fails at once. */
    static final Duration COMMAND_TIMEOUT = TestRedis.COMMAND_TIMEOUT;

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
        return new RateLimitProperties(mode, Duration.ofSeconds(1), 100_000, 100_000, Duration.ofSeconds(2));
    }

    static RedisRateLimiter limiter(StringRedisTemplate redis, RedisKeys keys, RedisFailureMode mode,
                                    MeterRegistry meters, LongSupplier clock) {
        return new RedisRateLimiter(redis, keys, new RateLimitEngine(properties(mode), meters, clock));
    }

    static ReactiveRedisRateLimiter reactiveLimiter(LettuceConnectionFactory factory, RedisKeys keys,
                                                    RedisFailureMode mode, MeterRegistry meters, LongSupplier clock) {
        return new ReactiveRedisRateLimiter(new ReactiveStringRedisTemplate(factory), keys,
                new RateLimitEngine(properties(mode), meters, clock), meters);
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

    /**
     * Asks for {@code cost} tokens until the first denial, noting when the asking began and ended. A bucket in Redis
     * refills on the server's clock, so what a run admits depends on how long it took: the times around it are what
     * bound it, never a fixed count.
     */
    static Drain drain(BucketLimits limits, long cost, Supplier<RateLimitDecision> ask) {
        List<RateLimitDecision> admitted = new ArrayList<>();
        long started = System.nanoTime();
        RateLimitDecision decision;
        while ((decision = ask.get()).allowed()) {
            admitted.add(decision);
            if (admitted.size() > 10_000) {
                throw new AssertionError("never denied");
            }
        }
        return new Drain(limits, cost, List.copyOf(admitted), decision, started, System.nanoTime());
    }

    /**
     * One run of {@link #drain}: the decisions that admitted, the denial that ended it, and {@link System#nanoTime}
     * before the first request was sent and after the denial arrived.
     */
    record Drain(BucketLimits limits, long cost, List<RateLimitDecision> admitted, RateLimitDecision denial,
                 long started, long ended) {

        Duration took() {
            return Duration.ofNanos(ended - started);
        }

        /** At most what a run from a full bucket can admit: the capacity plus what refilled while it ran. */
        long mostFromFull() {
            return (long) Math.floor((limits.capacity() + limits.tokensPerSecond() * seconds(ended - started)) / cost);
        }

        /**
         * Checks that this run admitted what refilled since {@code before} ended in a denial. A denial leaves less
         * than one cost in the bucket, and so does the end of this run; in between the bucket refilled at the rate
         * for at least the gap between the two runs and at most the span of both, capped at the capacity.
         */
        void admittedTheRefillSince(Drain before) {
            double rate = limits.tokensPerSecond();
            double least = Math.min(limits.capacity(), rate * seconds(started - before.ended)) / cost - 1;
            double most = rate * seconds(ended - before.started) / cost + 1;
            assertThat((double) admitted.size())
                    .as("admitted %d after a gap of %s; refill bounds (%.2f, %.2f)", admitted.size(),
                            Duration.ofNanos(started - before.ended), least, most)
                    .isGreaterThan(least).isLessThan(most);
        }

        private static double seconds(long nanos) {
            return nanos / 1e9;
        }
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
