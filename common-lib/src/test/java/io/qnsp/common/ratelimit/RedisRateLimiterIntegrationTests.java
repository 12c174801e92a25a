package io.qnsp.common.ratelimit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qnsp.common.ratelimit.RateLimitProperties.RedisFailureMode;
import io.qnsp.common.ratelimit.TestRateLimiters.Drain;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.qnsp.common.ratelimit.TestRateLimiters.decisions;
import static io.qnsp.common.ratelimit.TestRateLimiters.drain;
import static io.qnsp.common.ratelimit.TestRateLimiters.scriptAttempts;
import static io.qnsp.common.ratelimit.TestRateLimiters.scriptCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisRateLimiterIntegrationTests {

    private static LettuceConnectionFactory factory;
    private static StringRedisTemplate redis;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RedisKeys keys = TestRateLimiters.freshKeys();

    @BeforeAll
    static void connect() {
        factory = TestRateLimiters.connectionFactory(TestRedis.shared());
        redis = new StringRedisTemplate(factory);
        // connect and load the script, so timing-sensitive bursts do not pay for it
        TestRateLimiters.limiter(redis, TestRateLimiters.freshKeys(), RedisFailureMode.FAIL_CLOSED,
                new SimpleMeterRegistry(), System::nanoTime).tryConsume("warm-up", new BucketLimits(1, 1), 1);
    }

    @AfterAll
    static void disconnect() {
        factory.destroy();
    }

    private RedisRateLimiter limiter(RedisFailureMode mode) {
        return TestRateLimiters.limiter(redis, keys, mode, meters, System::nanoTime);
    }

    private static int admitted(RateLimiter limiter, String bucket, BucketLimits limits, long cost, int attempts) {
        int admitted = 0;
        for (int i = 0; i < attempts; i++) {
            if (limiter.tryConsume(bucket, limits, cost).allowed()) {
                admitted++;
            }
        }
        return admitted;
    }

    @Test
    void admitsTheCapacityAtOnceThenRefillsAtTheRate() throws InterruptedException {
        RedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_CLOSED);
        BucketLimits limits = new BucketLimits(10, 5);
        Drain burst = drain(limits, 1, () -> limiter.tryConsume("burst", limits, 1));

        // the capacity at once; more only if the burst itself lasted the 200 ms a token takes to refill
        assertThat(burst.admitted()).hasSizeBetween(10, (int) burst.mostFromFull());
        assertThat(burst.admitted()).allSatisfy(decision -> {
            assertThat(decision.source()).isEqualTo(RateLimitDecision.Source.REDIS);
            assertThat(decision.limit()).isEqualTo(10);
            assertThat(decision.retryAfter()).isZero();
        });
        assertThat(burst.admitted().getFirst().remainingTokens()).isEqualTo(9);
        assertThat(burst.admitted().getFirst().resetIn()).isEqualTo(Duration.ofMillis(200));
        RateLimitDecision denied = burst.denial();
        assertThat(denied.source()).isEqualTo(RateLimitDecision.Source.REDIS);
        assertThat(denied.remainingTokens()).isZero();
        // one token at 5/s takes 200 ms, less what refilled while the burst ran
        assertThat(denied.retryAfter()).isBetween(Duration.ofMillis(199).minus(burst.took()), Duration.ofMillis(200));
        assertThat(denied.resetIn()).isBetween(Duration.ofMillis(1_999).minus(burst.took()), Duration.ofSeconds(2));

        Thread.sleep(1_000);
        Drain refilled = drain(limits, 1, () -> limiter.tryConsume("burst", limits, 1));
        // about five, as the time around both runs bounds it
        refilled.admittedTheRefillSince(burst);
        assertThat(decisions(meters, "allowed", "redis"))
                .isEqualTo(burst.admitted().size() + refilled.admitted().size());
    }

    @Test
    void aCostAboveOneTakesThatManyTokens() throws InterruptedException {
        RedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_CLOSED);
        BucketLimits limits = new BucketLimits(10, 5);
        Drain burst = drain(limits, 2, () -> limiter.tryConsume("cost", limits, 2));
        assertThat(burst.admitted().getFirst().remainingTokens()).isEqualTo(8);
        assertThat(burst.admitted()).hasSizeBetween(5, (int) burst.mostFromFull());
        assertThat(burst.denial().allowed()).isFalse();
        // two tokens at 5/s take 400 ms, less what refilled while the burst ran
        assertThat(burst.denial().retryAfter()).isBetween(Duration.ofMillis(399).minus(burst.took()),
                Duration.ofMillis(400));

        Thread.sleep(1_000);
        // about 5 tokens back: two or three requests of cost 2
        drain(limits, 2, () -> limiter.tryConsume("cost", limits, 2)).admittedTheRefillSince(burst);
    }

    @Test
    void keepsOneHashPerBucketThatExpiresOnceTheBucketWouldBeFull() {
        RedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_CLOSED);
        long before = System.nanoTime();
        limiter.tryConsume("tenant-a", new BucketLimits(10, 5), 3);

        String key = keys.key("rl:tenant-a");
        Map<Object, Object> hash = redis.opsForHash().entries(key);
        assertThat(hash).containsOnlyKeys("tokens", "ts");
        assertThat(Double.parseDouble(hash.get("tokens").toString())).isBetween(7.0, 7.5);
        // 3 tokens at 5/s: full again after 600 ms, plus the margin of a second, less the time since the call
        long ttl = redis.getExpire(key, TimeUnit.MILLISECONDS);
        long sinceCall = Duration.ofNanos(System.nanoTime() - before).toMillis();
        assertThat(ttl).isBetween(1_600L - sinceCall - 1, 1_600L);
        assertThat(redis.keys(keys.prefix() + "*")).containsExactly(key);
    }

    @Test
    void aShrunkenCapacityClampsTheStoredTokensOnTheNextCall() {
        RedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_CLOSED);
        // a refill far slower than the test, so that only the clamp decides what is left
        assertThat(limiter.tryConsume("shrink", new BucketLimits(10, 0.01), 1).remainingTokens()).isEqualTo(9);

        BucketLimits small = new BucketLimits(3, 0.01);
        RateLimitDecision clamped = limiter.tryConsume("shrink", small, 1);
        assertThat(clamped.allowed()).isTrue();
        assertThat(clamped.remainingTokens()).isEqualTo(2);
        assertThat(clamped.limit()).isEqualTo(3);
        assertThat(admitted(limiter, "shrink", small, 1, 5)).isEqualTo(2);
    }

    @Test
    void newLimitsApplyOnTheNextCallEvenWhileADenialIsRemembered() throws InterruptedException {
        RedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_CLOSED);
        BucketLimits slow = new BucketLimits(2, 0.1);
        assertThat(admitted(limiter, "grow", slow, 1, 3)).isEqualTo(2);
        assertThat(limiter.tryConsume("grow", slow, 1).source()).isEqualTo(RateLimitDecision.Source.LOCAL_DENIAL);

        // same bucket, more capacity and a faster refill: the memory of the old limits must not answer
        BucketLimits fast = new BucketLimits(50, 100);
        Thread.sleep(100);
        RateLimitDecision grown = limiter.tryConsume("grow", fast, 1);
        assertThat(grown.source()).isEqualTo(RateLimitDecision.Source.REDIS);
        assertThat(grown.allowed()).isTrue();
        assertThat(grown.limit()).isEqualTo(50);
        // at 100/s the bucket refilled past the old capacity of 2 within the 100 ms
        assertThat(grown.remainingTokens()).isGreaterThanOrEqualTo(5);

        Thread.sleep(600);
        RateLimitDecision full = limiter.tryConsume("grow", fast, 1);
        assertThat(full.remainingTokens()).isEqualTo(49);
    }

    @Test
    void remembersDenialsSoRequestsThatCannotPassCostNoRedisCallUntilTheRefill() throws InterruptedException {
        try (TestRedis own = TestRedis.startPrivate()) {
            LettuceConnectionFactory ownFactory = TestRateLimiters.connectionFactory(own);
            try {
                StringRedisTemplate ownRedis = new StringRedisTemplate(ownFactory);
                // the engine's clock stands still, so the remembered denial outlasts the loop however slow it is
                TestRateLimiters.ManualClock clock = new TestRateLimiters.ManualClock();
                RedisRateLimiter limiter = TestRateLimiters.limiter(ownRedis, keys, RedisFailureMode.FAIL_CLOSED,
                        meters, clock);
                BucketLimits limits = new BucketLimits(2, 0.5);
                assertThat(admitted(limiter, "memory", limits, 1, 2)).isEqualTo(2);
                RateLimitDecision denied = limiter.tryConsume("memory", limits, 1);
                assertThat(denied.allowed()).isFalse();
                assertThat(denied.source()).isEqualTo(RateLimitDecision.Source.REDIS);

                long redisCallsBefore = scriptCalls(ownRedis);
                long attemptsBefore = scriptAttempts(meters);
                assertThat(redisCallsBefore).isGreaterThanOrEqualTo(3);
                for (int i = 0; i < 50; i++) {
                    RateLimitDecision local = limiter.tryConsume("memory", limits, 1 + i % 2);
                    assertThat(local.allowed()).isFalse();
                    assertThat(local.source()).isEqualTo(RateLimitDecision.Source.LOCAL_DENIAL);
                    assertThat(local.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(4));
                }
                assertThat(scriptCalls(ownRedis)).isEqualTo(redisCallsBefore);
                assertThat(scriptAttempts(meters)).isEqualTo(attemptsBefore);
                assertThat(decisions(meters, "denied", "local_denial")).isEqualTo(50);

                // Redis refills on its own clock and the memory forgets on the engine's: both move past the wait
                Duration refill = denied.retryAfter().plusMillis(50);
                Thread.sleep(refill.toMillis());
                clock.advance(refill);
                RateLimitDecision afterRefill = limiter.tryConsume("memory", limits, 1);
                assertThat(afterRefill.allowed()).isTrue();
                assertThat(afterRefill.source()).isEqualTo(RateLimitDecision.Source.REDIS);
                assertThat(scriptCalls(ownRedis)).isEqualTo(redisCallsBefore + 1);
            } finally {
                ownFactory.destroy();
            }
        }
    }

    @Test
    void twoInstancesSharingRedisNeverAdmitMoreThanTheBucketAllows() throws Exception {
        LettuceConnectionFactory otherFactory = TestRateLimiters.connectionFactory(TestRedis.shared());
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            StringRedisTemplate otherRedis = new StringRedisTemplate(otherFactory);
            List<RateLimiter> instances = List.of(limiter(RedisFailureMode.FAIL_CLOSED),
                    TestRateLimiters.limiter(otherRedis, keys, RedisFailureMode.FAIL_CLOSED, new SimpleMeterRegistry(),
                            System::nanoTime));
            BucketLimits limits = new BucketLimits(20, 100);
            // both instances connected and the script cached before the clock starts
            for (RateLimiter instance : instances) {
                instance.tryConsume("warm-up", limits, 1);
            }

            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger refused = new AtomicInteger();
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                RateLimiter instance = instances.get(t % 2);
                results.add(threads.submit(() -> {
                    go.await();
                    long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    int admitted = 0;
                    // two seconds, and on until the bucket has refused someone: a loaded machine may not empty it
                    // within the two seconds
                    while ((System.nanoTime() - until < 0 || refused.get() == 0) && System.nanoTime() - giveUp < 0) {
                        if (instance.tryConsume("shared", limits, 1).allowed()) {
                            admitted++;
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                    return admitted;
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get(30, TimeUnit.SECONDS);
            }
            double elapsedSeconds = (System.nanoTime() - start) / 1e9;

            double ceiling = limits.capacity() + limits.tokensPerSecond() * elapsedSeconds;
            String measured = "admitted %d, refused %d, ceiling %.1f".formatted(total, refused.get(), ceiling);
            assertThat((double) total).as(measured).isLessThanOrEqualTo(ceiling + 1);
            // the limiter is not simply refusing: the bucket refused only once its whole capacity had been admitted
            assertThat(refused.get()).as(measured).isPositive();
            assertThat(total).as(measured).isGreaterThanOrEqualTo((int) limits.capacity());
        } finally {
            threads.shutdownNow();
            otherFactory.destroy();
        }
    }

    @Test
    void rejectsAnInvalidCostBeforeTouchingRedis() {
        RedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_OPEN);
        BucketLimits limits = new BucketLimits(5, 1);
        assertThatThrownBy(() -> limiter.tryConsume("invalid", limits, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.tryConsume("invalid", limits, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThat(redis.hasKey(keys.key("rl:invalid"))).isFalse();
        assertThat(scriptAttempts(meters)).isZero();
        assertThat(limiter.tryConsume("invalid", limits, 5).remainingTokens()).isZero();
    }

    @Test
    void anErrorReplyFromRedisIsHandledByTheFailureModeNeverEscapes() {
        redis.opsForValue().set(keys.key("rl:wrong-type"), "not a hash");
        BucketLimits limits = new BucketLimits(5, 1);

        assertThatThrownBy(() -> limiter(RedisFailureMode.FAIL_CLOSED).tryConsume("wrong-type", limits, 1))
                .isInstanceOf(RateLimiterUnavailable.class);
        RateLimitDecision local = limiter(RedisFailureMode.LOCAL).tryConsume("wrong-type", limits, 1);
        assertThat(local.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
        assertThat(local.remainingTokens()).isEqualTo(4);
        assertThat(limiter(RedisFailureMode.FAIL_OPEN).tryConsume("wrong-type", limits, 1).source())
                .isEqualTo(RateLimitDecision.Source.FAIL_OPEN);
    }
}
