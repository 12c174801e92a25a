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

    private static List<RateLimitBucket> one(String id, BucketLimits limits) {
        return List.of(new RateLimitBucket(id, limits));
    }

    private static TokenBucketScript.Reply reply(boolean sufficient, double tokens, long retryMicros,
                                                 long resetMicros) {
        return new TokenBucketScript.Reply(List.of(new TokenBucketScript.BucketReply(sufficient, tokens, retryMicros,
                resetMicros)));
    }

    @Test
    void rejectsACostOutsideOneToCapacityAndABlankBucket() {
        RateLimitEngine engine = engine(RedisFailureMode.LOCAL);
        for (long cost : new long[] {0, -1, 11, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> engine.beforeRedis(one("b", limits), cost, clock.getAsLong()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> engine.beforeRedis(one(" ", limits), 1, clock.getAsLong()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.beforeRedis(one("b", null), 1, clock.getAsLong()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(engine.beforeRedis(one("b", limits), 10, clock.getAsLong())).isNull();
    }

    @Test
    void aRedisDenialIsRememberedFromTheMomentTheRequestWasSent() {
        RateLimitEngine engine = engine(RedisFailureMode.LOCAL);
        long sentAt = clock.getAsLong();
        clock.advance(Duration.ofMillis(50));
        RateLimitDecision fromRedis = engine.redisAnswered(one("b", limits),
                reply(false, 0.2, 160_000, 1_960_000), sentAt, 1_000);
        assertThat(fromRedis.source()).isEqualTo(RateLimitDecision.Source.REDIS);
        assertThat(fromRedis.retryAfter()).isEqualTo(Duration.ofMillis(160));

        // 0.2 + 5/s * 0.15s = 0.95 < 1
        clock.advance(Duration.ofMillis(100));
        RateLimitDecision local = engine.beforeRedis(one("b", limits), 1, clock.getAsLong());
        assertThat(local.source()).isEqualTo(RateLimitDecision.Source.LOCAL_DENIAL);
        assertThat(local.retryAfter()).isBetween(Duration.ofMillis(9), Duration.ofMillis(11));
        // 0.2 + 5/s * 0.161s > 1: Redis may admit now
        clock.advance(Duration.ofMillis(11));
        assertThat(engine.beforeRedis(one("b", limits), 1, clock.getAsLong())).isNull();
        assertThat(decisions(meters, "denied", "redis")).isEqualTo(1);
        assertThat(decisions(meters, "denied", "local_denial")).isEqualTo(1);
    }

    @Test
    void failOpenAdmitsAsIfTheBucketWereFull() {
        RateLimitEngine engine = engine(RedisFailureMode.FAIL_OPEN);
        RateLimitDecision decision = engine.redisFailed(one("b", limits), 3,
                new RedisConnectionFailureException("down"), 1);
        assertThat(decision).isEqualTo(new RateLimitDecision(true, 7, 10, Duration.ofMillis(600), Duration.ZERO,
                RateLimitDecision.Source.FAIL_OPEN));
        assertThat(decisions(meters, "allowed", "fail_open")).isEqualTo(1);
    }

    @Test
    void failClosedRefusesAndCountsTheRequestAsUnavailable() {
        RateLimitEngine engine = engine(RedisFailureMode.FAIL_CLOSED);
        assertThatThrownBy(() -> engine.redisFailed(one("b", limits), 1, new IllegalStateException("odd reply"), 1))
                .isInstanceOf(RateLimiterUnavailable.class);
        assertThatThrownBy(() -> engine.beforeRedis(one("b", limits), 1, clock.getAsLong()))
                .isInstanceOf(RateLimiterUnavailable.class);
        assertThat(decisions(meters, "unavailable", "fail_closed")).isEqualTo(2);
    }

    @Test
    void aFailClosedRefusalCarriesTheConfiguredRetryAfterInWholeSeconds() {
        RateLimitEngine engine = new RateLimitEngine(new RateLimitProperties(RedisFailureMode.FAIL_CLOSED,
                Duration.ofSeconds(1), 10, 10, Duration.ofMillis(4200)), meters, clock);
        assertThatThrownBy(() -> engine.redisFailed(one("b", limits), 1, new IllegalStateException("down"), 1))
                .isInstanceOfSatisfying(RateLimiterUnavailable.class, refused -> {
                    assertThat(refused.retryAfterSeconds()).isEqualTo(5);
                    assertThat(refused.headers().get("Retry-After")).containsExactly("5");
                });
        assertThat(new RateLimiterUnavailable().headers().getFirst("Retry-After")).isEqualTo("2");
    }

    @Test
    void localModeKeepsCountingInProcessWhileRedisIsSkipped() {
        RateLimitEngine engine = engine(RedisFailureMode.LOCAL);
        RateLimitDecision first = engine.redisFailed(one("b", limits), 4,
                new RedisConnectionFailureException("down"), 1);
        assertThat(first.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
        assertThat(first.remainingTokens()).isEqualTo(6);
        assertThat(engine.beforeRedis(one("b", limits), 4, clock.getAsLong()).remainingTokens()).isEqualTo(2);
        RateLimitDecision denied = engine.beforeRedis(one("b", limits), 4, clock.getAsLong());
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
    }

    @Test
    void logsAnOutageOnceAtWarnWithoutStackTraceAndTheRecoveryAtInfo() {
        RateLimitEngine engine = engine(RedisFailureMode.LOCAL);
        for (int i = 0; i < 5; i++) {
            engine.redisFailed(one("b", limits), 1, new RedisConnectionFailureException("Unable to connect",
                    new java.net.ConnectException("Connection refused")), 1);
        }
        assertThat(engine.redisDown()).isTrue();
        engine.redisAnswered(one("b", limits), reply(true, 9, 0, 200_000), clock.getAsLong(), 1);
        engine.redisAnswered(one("b", limits), reply(true, 8, 0, 400_000), clock.getAsLong(), 1);
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

    private final RateLimitBucket minute = new RateLimitBucket("k:m", new BucketLimits(3, 0.05));
    private final RateLimitBucket hour = new RateLimitBucket("k:h", new BucketLimits(10, 0.01));

    @Test
    void severalBucketsNeedDistinctIdsAndACostEveryBucketCanHold() {
        RateLimitEngine engine = engine(RedisFailureMode.LOCAL);
        assertThatThrownBy(() -> engine.beforeRedis(List.of(), 1, clock.getAsLong()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.beforeRedis(null, 1, clock.getAsLong()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.beforeRedis(List.of(minute, new RateLimitBucket("k:m", limits)), 1,
                clock.getAsLong())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k:m");
        // 4 fits the hour bucket but never the minute bucket
        assertThatThrownBy(() -> engine.beforeRedis(List.of(minute, hour), 4, clock.getAsLong()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3");
        assertThat(engine.beforeRedis(List.of(minute, hour), 3, clock.getAsLong())).isNull();
    }

    @Test
    void aReplyWithOneInsufficientBucketIsOneDenialGovernedAndRememberedByThatBucket() {
        RateLimitEngine engine = engine(RedisFailureMode.LOCAL);
        long sentAt = clock.getAsLong();
        RateLimitDecision denied = engine.redisAnswered(List.of(minute, hour), new TokenBucketScript.Reply(List.of(
                new TokenBucketScript.BucketReply(false, 0.5, 10_000_000, 50_000_000),
                new TokenBucketScript.BucketReply(true, 7, 0, 300_000_000))), sentAt, 1_000);
        assertThat(denied).isEqualTo(new RateLimitDecision(false, 0, 3, Duration.ofSeconds(50),
                Duration.ofSeconds(10), RateLimitDecision.Source.REDIS));
        assertThat(decisions(meters, "denied", "redis")).isEqualTo(1);
        assertThat(decisions(meters, "allowed", "redis")).isZero();

        // the minute bucket's denial is remembered: the pair, and the minute bucket alone, are refused locally
        RateLimitDecision remembered = engine.beforeRedis(List.of(hour, minute), 1, clock.getAsLong());
        assertThat(remembered.source()).isEqualTo(RateLimitDecision.Source.LOCAL_DENIAL);
        assertThat(remembered.limit()).isEqualTo(3);
        assertThat(remembered.retryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(decisions(meters, "denied", "local_denial")).isEqualTo(1);
        // the hour bucket was sufficient: nothing remembered for it
        assertThat(engine.beforeRedis(List.of(hour), 1, clock.getAsLong())).isNull();
    }

    @Test
    void whenEveryBucketAdmitsTheOneWithFewestTokensLeftGoverns() {
        RateLimitEngine engine = engine(RedisFailureMode.LOCAL);
        RateLimitDecision admitted = engine.redisAnswered(List.of(hour, minute), new TokenBucketScript.Reply(List.of(
                new TokenBucketScript.BucketReply(true, 9, 0, 100_000_000),
                new TokenBucketScript.BucketReply(true, 2, 0, 20_000_000))), clock.getAsLong(), 1_000);
        assertThat(admitted).isEqualTo(new RateLimitDecision(true, 2, 3, Duration.ofSeconds(20), Duration.ZERO,
                RateLimitDecision.Source.REDIS));
        assertThat(decisions(meters, "allowed", "redis")).isEqualTo(1);
    }

    @Test
    void whenSeveralBucketsDenyTheLongestWaitGoverns() {
        RateLimitEngine engine = engine(RedisFailureMode.LOCAL);
        RateLimitDecision denied = engine.redisAnswered(List.of(minute, hour), new TokenBucketScript.Reply(List.of(
                new TokenBucketScript.BucketReply(false, 0, 20_000_000, 60_000_000),
                new TokenBucketScript.BucketReply(false, 0, 100_000_000, 1_000_000_000))), clock.getAsLong(), 1_000);
        assertThat(denied.limit()).isEqualTo(10);
        assertThat(denied.retryAfter()).isEqualTo(Duration.ofSeconds(100));
        assertThat(decisions(meters, "denied", "redis")).isEqualTo(1);
    }

    @Test
    void localModeIsAllOrNothingAcrossBucketsAndCountsOneDecisionPerRequest() {
        RateLimitEngine engine = engine(RedisFailureMode.LOCAL);
        RateLimitBucket small = new RateLimitBucket("small", new BucketLimits(2, 0.01));
        RateLimitBucket large = new RateLimitBucket("large", new BucketLimits(10, 0.01));
        RateLimitDecision first = engine.redisFailed(List.of(small, large), 1,
                new RedisConnectionFailureException("down"), 1);
        assertThat(first.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
        assertThat(first.remainingTokens()).isEqualTo(1);
        assertThat(engine.beforeRedis(List.of(small, large), 1, clock.getAsLong()).allowed()).isTrue();
        for (int i = 0; i < 5; i++) {
            RateLimitDecision denied = engine.beforeRedis(List.of(small, large), 1, clock.getAsLong());
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.limit()).isEqualTo(2);
        }
        // the five refusals took nothing from the large bucket: two requests charged it, eight tokens are left
        assertThat(engine.beforeRedis(List.of(large), 8, clock.getAsLong()).allowed()).isTrue();
        assertThat(engine.beforeRedis(List.of(large), 1, clock.getAsLong()).allowed()).isFalse();
        assertThat(decisions(meters, "allowed", "local_bucket")).isEqualTo(3);
        assertThat(decisions(meters, "denied", "local_bucket")).isEqualTo(6);
    }

    @Test
    void failOpenAndFailClosedDecideOnceForAllBuckets() {
        RateLimitDecision open = engine(RedisFailureMode.FAIL_OPEN).redisFailed(List.of(hour, minute), 2,
                new RedisConnectionFailureException("down"), 1);
        assertThat(open.allowed()).isTrue();
        assertThat(open.source()).isEqualTo(RateLimitDecision.Source.FAIL_OPEN);
        assertThat(open.limit()).isEqualTo(3);
        assertThat(open.remainingTokens()).isEqualTo(1);
        assertThat(decisions(meters, "allowed", "fail_open")).isEqualTo(1);

        assertThatThrownBy(() -> engine(RedisFailureMode.FAIL_CLOSED).redisFailed(List.of(hour, minute), 1,
                new RedisConnectionFailureException("down"), 1)).isInstanceOf(RateLimiterUnavailable.class);
        assertThat(decisions(meters, "unavailable", "fail_closed")).isEqualTo(1);
    }
}
