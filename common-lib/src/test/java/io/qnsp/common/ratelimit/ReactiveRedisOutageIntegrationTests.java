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

import java.time.Duration;
import java.util.List;

import static io.qnsp.common.ratelimit.TestRateLimiters.decisions;
import static io.qnsp.common.ratelimit.TestRateLimiters.scriptAttempts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Redis stopped under the reactive limiter, for each failure mode, as {@link RedisOutageIntegrationTests} does for
 * the blocking one: the engine's clock is manual, so skipping Redis is asserted by counting calls.
 */
class ReactiveRedisOutageIntegrationTests {

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

    private ReactiveRedisRateLimiter limiter(RedisFailureMode mode) {
        return TestRateLimiters.reactiveLimiter(factory, keys, mode, meters, clock);
    }

    private RateLimitDecision consume(ReactiveRateLimiter limiter, String bucket, long cost) {
        return limiter.tryConsume(bucket, limits, cost).block(Duration.ofSeconds(5));
    }

    /** Runs on Redis, stops it, lets {@code whileDown} run, restarts it and waits until Redis decides again. */
    private void outage(ReactiveRedisRateLimiter limiter, Runnable whileDown) {
        assertThat(consume(limiter, "before", 1).source()).isEqualTo(RateLimitDecision.Source.REDIS);
        assertThat(scriptAttempts(meters)).isEqualTo(1);

        redis.stop();
        whileDown.run();
        // only the first call after the stop tried Redis; the clock has not moved past the retry interval
        assertThat(scriptAttempts(meters)).isEqualTo(2);

        redis.start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            clock.advance(RETRY_INTERVAL);
            try {
                return consume(limiter, "probe", 1);
            } catch (RateLimiterUnavailable unavailable) {
                return null;
            }
        }, recovered -> recovered != null && recovered.source() == RateLimitDecision.Source.REDIS);
        assertThat(log.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        assertThat(log.list).allSatisfy(event -> assertThat(event.getThrowableProxy()).isNull());
    }

    @Test
    void localModeEnforcesTheLimitsInProcessWhileRedisIsDownAndReturnsToRedisByItself() {
        ReactiveRedisRateLimiter limiter = limiter(RedisFailureMode.LOCAL);
        outage(limiter, () -> {
            for (int i = 1; i <= 3; i++) {
                RateLimitDecision decision = consume(limiter, "local", 1);
                assertThat(decision.allowed()).isTrue();
                assertThat(decision.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
                assertThat(decision.remainingTokens()).isEqualTo(3 - i);
            }
            RateLimitDecision denied = consume(limiter, "local", 1);
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.retryAfter()).isPositive();
            // a look at the in-process bucket takes nothing from it
            RateLimitDecision look = limiter.peek("local", limits).block();
            assertThat(look.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
            assertThat(look.remainingTokens()).isZero();
            RateLimitDecision other = limiter.peek("other", limits).block();
            assertThat(other.remainingTokens()).isEqualTo(3);
            RateLimitDecision all = limiter.tryConsumeAll(List.of(new RateLimitBucket("other", limits),
                    new RateLimitBucket("another", limits)), 2).block();
            assertThat(all.allowed()).isTrue();
            assertThat(all.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
            assertThat(all.remainingTokens()).isEqualTo(1);
            // all-or-nothing in process too: the empty bucket refuses, and the other keeps its token
            RateLimitDecision refused = limiter.tryConsumeAll(List.of(new RateLimitBucket("other", limits),
                    new RateLimitBucket("local", limits)), 1).block();
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
            assertThat(limiter.peek("other", limits).block().remainingTokens()).isEqualTo(1);
            // one decision per request, however many buckets it was charged against
            assertThat(decisions(meters, "allowed", "local_bucket")).isEqualTo(4);
            assertThat(decisions(meters, "denied", "local_bucket")).isEqualTo(2);
        });
    }

    @Test
    void failClosedRefusesWhileRedisIsDownAndReturnsToRedisByItself() {
        ReactiveRedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_CLOSED);
        outage(limiter, () -> {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> consume(limiter, "closed", 1)).isInstanceOf(RateLimiterUnavailable.class);
            }
            assertThatThrownBy(() -> limiter.peek("closed", limits).block())
                    .isInstanceOf(RateLimiterUnavailable.class);
            assertThat(decisions(meters, "unavailable", "fail_closed")).isEqualTo(5);
        });
    }

    @Test
    void failOpenAdmitsWhileRedisIsDownAndReturnsToRedisByItself() {
        ReactiveRedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_OPEN);
        outage(limiter, () -> {
            for (int i = 0; i < 5; i++) {
                RateLimitDecision decision = consume(limiter, "open", 2);
                assertThat(decision.allowed()).isTrue();
                assertThat(decision.source()).isEqualTo(RateLimitDecision.Source.FAIL_OPEN);
                assertThat(decision.remainingTokens()).isEqualTo(1);
            }
            assertThat(limiter.peek("open", limits).block().remainingTokens()).isEqualTo(3);
            assertThat(decisions(meters, "allowed", "fail_open")).isEqualTo(5);
        });
    }
}
