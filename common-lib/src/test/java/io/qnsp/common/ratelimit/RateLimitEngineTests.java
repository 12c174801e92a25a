package io.qnsp.common.ratelimit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qnsp.common.ratelimit.RateLimitProperties.RedisFailureMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;

import java.time.Duration;
import java.util.List;

import static io.qnsp.common.ratelimit.TestRateLimiters.decisions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitEngineTests {

    private final BucketLimits limits = new BucketLimits(10, 5);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestRateLimiters.ManualClock clock = new TestRateLimiters.ManualClock();
    private final ListAppender<ILoggingEvent> log = TestRateLimiters.engineLog();

    @AfterEach
    void detachLog() {
        TestRateLimiters.detach(log);
    }

    private RateLimitEngine engine(RedisFailureMode mode) {
        return new RateLimitEngine(TestRateLimiters.properties(mode), meters, clock);
    }

    @Test
    void rejectsACostOutsideOneToCapacityAndABlankBucket() {
        RateLimitEngine engine = engine(RedisFailureMode.LOCAL);
        for (long cost : new long[] {0, -1, 11, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> engine.beforeRedis("b", limits, cost, clock.getAsLong()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> engine.beforeRedis(" ", limits, 1, clock.getAsLong()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.beforeRedis("b", null, 1, clock.getAsLong()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(engine.beforeRedis("b", limits, 10, clock.getAsLong())).isNull();
    }

    @Test
    void aRedisDenialIsRememberedFromTheMomentTheRequestWasSent() {
        RateLimitEngine engine = engine(RedisFailureMode.LOCAL);
        long sentAt = clock.getAsLong();
        clock.advance(Duration.ofMillis(50));
        RateLimitDecision fromRedis = engine.redisAnswered("b", limits,
                new TokenBucketScript.Reply(false, 0.2, 160_000, 1_960_000), sentAt, 1_000);
        assertThat(fromRedis.source()).isEqualTo(RateLimitDecision.Source.REDIS);
        assertThat(fromRedis.retryAfter()).isEqualTo(Duration.ofMillis(160));

        // 0.2 + 5/s * 0.15s = 0.95 < 1
        clock.advance(Duration.ofMillis(100));
        RateLimitDecision local = engine.beforeRedis("b", limits, 1, clock.getAsLong());
        assertThat(local.source()).isEqualTo(RateLimitDecision.Source.LOCAL_DENIAL);
        assertThat(local.retryAfter()).isBetween(Duration.ofMillis(9), Duration.ofMillis(11));
        // 0.2 + 5/s * 0.161s > 1: Redis may admit now
        clock.advance(Duration.ofMillis(11));
        assertThat(engine.beforeRedis("b", limits, 1, clock.getAsLong())).isNull();
        assertThat(decisions(meters, "denied", "redis")).isEqualTo(1);
        assertThat(decisions(meters, "denied", "local_denial")).isEqualTo(1);
    }

    @Test
    void failOpenAdmitsAsIfTheBucketWereFull() {
        RateLimitEngine engine = engine(RedisFailureMode.FAIL_OPEN);
        RateLimitDecision decision = engine.redisFailed("b", limits, 3, new RedisConnectionFailureException("down"), 1);
        assertThat(decision).isEqualTo(new RateLimitDecision(true, 7, 10, Duration.ofMillis(600), Duration.ZERO,
                RateLimitDecision.Source.FAIL_OPEN));
        assertThat(decisions(meters, "allowed", "fail_open")).isEqualTo(1);
    }

    @Test
    void failClosedRefusesAndCountsTheRequestAsUnavailable() {
        RateLimitEngine engine = engine(RedisFailureMode.FAIL_CLOSED);
        assertThatThrownBy(() -> engine.redisFailed("b", limits, 1, new IllegalStateException("odd reply"), 1))
                .isInstanceOf(RateLimiterUnavailable.class);
        assertThatThrownBy(() -> engine.beforeRedis("b", limits, 1, clock.getAsLong()))
                .isInstanceOf(RateLimiterUnavailable.class);
        assertThat(decisions(meters, "unavailable", "fail_closed")).isEqualTo(2);
    }

    @Test
    void localModeKeepsCountingInProcessWhileRedisIsSkipped() {
        RateLimitEngine engine = engine(RedisFailureMode.LOCAL);
        RateLimitDecision first = engine.redisFailed("b", limits, 4, new RedisConnectionFailureException("down"), 1);
        assertThat(first.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
        assertThat(first.remainingTokens()).isEqualTo(6);
        assertThat(engine.beforeRedis("b", limits, 4, clock.getAsLong()).remainingTokens()).isEqualTo(2);
        RateLimitDecision denied = engine.beforeRedis("b", limits, 4, clock.getAsLong());
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
    }

    @Test
    void logsAnOutageOnceAtWarnWithoutStackTraceAndTheRecoveryAtInfo() {
        RateLimitEngine engine = engine(RedisFailureMode.LOCAL);
        for (int i = 0; i < 5; i++) {
            engine.redisFailed("b", limits, 1, new RedisConnectionFailureException("Unable to connect",
                    new java.net.ConnectException("Connection refused")), 1);
        }
        assertThat(engine.redisDown()).isTrue();
        engine.redisAnswered("b", limits, new TokenBucketScript.Reply(true, 9, 0, 200_000), clock.getAsLong(), 1);
        engine.redisAnswered("b", limits, new TokenBucketScript.Reply(true, 8, 0, 400_000), clock.getAsLong(), 1);
        assertThat(engine.redisDown()).isFalse();

        List<ILoggingEvent> events = log.list;
        assertThat(events).hasSize(2);
        assertThat(events.get(0).getLevel()).isEqualTo(Level.WARN);
        assertThat(events.get(0).getFormattedMessage())
                .contains("RedisConnectionFailureException caused by ConnectException: Connection refused")
                .contains("failure mode local");
        assertThat(events.get(0).getThrowableProxy()).isNull();
        assertThat(events.get(1).getLevel()).isEqualTo(Level.INFO);
        assertThat(events.get(1).getThrowableProxy()).isNull();
    }
}
