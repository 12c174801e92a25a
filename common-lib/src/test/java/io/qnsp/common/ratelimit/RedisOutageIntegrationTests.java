package io.qnsp.common.ratelimit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qnsp.common.ratelimit.RateLimitProperties.RedisFailureMode;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.Supplier;

import static io.qnsp.common.ratelimit.TestRateLimiters.decisions;
import static io.qnsp.common.ratelimit.TestRateLimiters.scriptAttempts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Redis stopped under a running engine, for each failure mode. Time on the engine's side is a manual clock, so "no
 * Redis call within the retry interval" is asserted by counting calls, not by measuring how long anything took.
 */
class RedisOutageIntegrationTests {

    private static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

    private final TestRateLimiters.ManualClock clock = new TestRateLimiters.ManualClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RedisKeys keys = TestRateLimiters.freshKeys();
    private final BucketLimits limits = new BucketLimits(3, 0.01);

    private TestRedis redis;
    private LettuceConnectionFactory factory;
    private ListAppender<ILoggingEvent> log;

    @BeforeEach
    void startRedis() {
        redis = TestRedis.startPrivate();
        factory = TestRateLimiters.connectionFactory(redis);
        log = TestRateLimiters.engineLog();
    }

    @AfterEach
    void stopRedis() {
        TestRateLimiters.detach(log);
        factory.destroy();
        redis.close();
    }

    private RedisRateLimiter limiter(RedisFailureMode mode) {
        return TestRateLimiters.limiter(new StringRedisTemplate(factory), keys, mode, meters, clock);
    }

    /** Runs the limiter on Redis, stops Redis, lets {@code whileDown} run, restarts Redis and waits for the engine. */
    private void outage(RedisRateLimiter limiter, Supplier<RateLimitDecision> probe, Runnable whileDown) {
        RateLimitDecision before = limiter.tryConsume("before", limits, 1);
        assertThat(before.source()).isEqualTo(RateLimitDecision.Source.REDIS);
        assertThat(scriptAttempts(meters)).isEqualTo(1);

        redis.stop();
        whileDown.run();
        // only the first decision after the stop tried Redis; the clock has not moved past the retry interval
        assertThat(scriptAttempts(meters)).isEqualTo(2);

        clock.advance(RETRY_INTERVAL);
        RateLimitDecision retried = probeIgnoringUnavailable(probe);
        assertThat(scriptAttempts(meters)).isEqualTo(3);
        assertThat(retried == null || retried.source() != RateLimitDecision.Source.REDIS).isTrue();

        redis.start();
        RateLimitDecision recovered = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    clock.advance(RETRY_INTERVAL);
                    return probeIgnoringUnavailable(probe);
                }, decision -> decision != null && decision.source() == RateLimitDecision.Source.REDIS);
        assertThat(recovered.allowed()).isTrue();

        assertThat(log.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        assertThat(log.list).allSatisfy(event -> assertThat(event.getThrowableProxy()).isNull());
    }

    private static RateLimitDecision probeIgnoringUnavailable(Supplier<RateLimitDecision> probe) {
        try {
            return probe.get();
        } catch (RateLimiterUnavailable unavailable) {
            return null;
        }
    }

    @Test
    void failOpenAdmitsWhileRedisIsDownAndReturnsToRedisByItself() {
        RedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_OPEN);
        outage(limiter, () -> limiter.tryConsume("probe", limits, 1), () -> {
            for (int i = 0; i < 20; i++) {
                RateLimitDecision decision = limiter.tryConsume("open", limits, 2);
                assertThat(decision.allowed()).isTrue();
                assertThat(decision.source()).isEqualTo(RateLimitDecision.Source.FAIL_OPEN);
                assertThat(decision.remainingTokens()).isEqualTo(1);
                assertThat(decision.limit()).isEqualTo(3);
            }
            assertThat(decisions(meters, "allowed", "fail_open")).isEqualTo(20);
        });
    }

    @Test
    void failClosedRefusesWhileRedisIsDownAndReturnsToRedisByItself() {
        RedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_CLOSED);
        outage(limiter, () -> limiter.tryConsume("probe", limits, 1), () -> {
            for (int i = 0; i < 20; i++) {
                assertThatThrownBy(() -> limiter.tryConsume("closed", limits, 1))
                        .isInstanceOf(RateLimiterUnavailable.class);
            }
            assertThat(decisions(meters, "unavailable", "fail_closed")).isEqualTo(20);
        });
    }

    @Test
    void localModeEnforcesTheLimitsInProcessWhileRedisIsDownAndReturnsToRedisByItself() {
        RedisRateLimiter limiter = limiter(RedisFailureMode.LOCAL);
        outage(limiter, () -> limiter.tryConsume("probe", limits, 1), () -> {
            for (int i = 1; i <= 3; i++) {
                RateLimitDecision decision = limiter.tryConsume("local", limits, 1);
                assertThat(decision.allowed()).isTrue();
                assertThat(decision.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
                assertThat(decision.remainingTokens()).isEqualTo(3 - i);
            }
            for (int i = 0; i < 10; i++) {
                RateLimitDecision decision = limiter.tryConsume("local", limits, 1);
                assertThat(decision.allowed()).isFalse();
                assertThat(decision.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
                assertThat(decision.retryAfter()).isPositive();
            }
            assertThat(limiter.tryConsume("other", limits, 3).allowed()).isTrue();
            assertThat(decisions(meters, "allowed", "local_bucket")).isEqualTo(4);
            assertThat(decisions(meters, "denied", "local_bucket")).isEqualTo(10);
        });
    }

    @Test
    void aRedisThatWasNeverReachableIsAFailureLikeAnyOther() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        LettuceConnectionFactory nowhere = TestRateLimiters.connectionFactory("127.0.0.1", closedPort);
        try {
            RedisRateLimiter limiter = TestRateLimiters.limiter(new StringRedisTemplate(nowhere), keys,
                    RedisFailureMode.LOCAL, meters, clock);
            for (int i = 0; i < 3; i++) {
                assertThat(limiter.tryConsume("b", limits, 1).source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
            }
            assertThat(limiter.tryConsume("b", limits, 1).allowed()).isFalse();
            assertThat(scriptAttempts(meters)).isEqualTo(1);
            assertThat(log.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getThrowableProxy()).isNull();
            });
        } finally {
            nowhere.destroy();
        }
    }
}
