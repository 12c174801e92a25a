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
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.qnsp.common.ratelimit.TestRateLimiters.decisions;
import static io.qnsp.common.ratelimit.TestRateLimiters.drain;
import static io.qnsp.common.ratelimit.TestRateLimiters.scriptAttempts;
import static io.qnsp.common.ratelimit.TestRateLimiters.scriptCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reactive limiter against a real Redis: the blocking limiter's key cases, plus several buckets and looks. */
class ReactiveRedisRateLimiterIntegrationTests {

    private static LettuceConnectionFactory factory;
    private static StringRedisTemplate redis;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RedisKeys keys = TestRateLimiters.freshKeys();

    @BeforeAll
    static void connect() {
        factory = TestRateLimiters.connectionFactory(TestRedis.shared());
        redis = new StringRedisTemplate(factory);
        // connect and load the script, so timing-sensitive bursts do not pay for it
        TestRateLimiters.reactiveLimiter(factory, TestRateLimiters.freshKeys(), RedisFailureMode.FAIL_CLOSED,
                new SimpleMeterRegistry(), System::nanoTime).tryConsume("warm-up", new BucketLimits(1, 1), 1).block();
    }

    @AfterAll
    static void disconnect() {
        factory.destroy();
    }

    private ReactiveRedisRateLimiter limiter(RedisFailureMode mode) {
        return TestRateLimiters.reactiveLimiter(factory, keys, mode, meters, System::nanoTime);
    }

    private static RateLimitDecision consume(ReactiveRateLimiter limiter, String bucket, BucketLimits limits, long cost) {
        return limiter.tryConsume(bucket, limits, cost).block(Duration.ofSeconds(5));
    }

    private static int admitted(ReactiveRateLimiter limiter, String bucket, BucketLimits limits, int attempts) {
        int admitted = 0;
        for (int i = 0; i < attempts; i++) {
            if (consume(limiter, bucket, limits, 1).allowed()) {
                admitted++;
            }
        }
        return admitted;
    }

    @Test
    void admitsTheCapacityAtOnceThenRefillsAtTheRate() throws InterruptedException {
        ReactiveRedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_CLOSED);
        BucketLimits limits = new BucketLimits(10, 5);
        Drain burst = drain(limits, 1, () -> consume(limiter, "burst", limits, 1));

        // the capacity at once; more only if the burst itself lasted the 200 ms a token takes to refill
        assertThat(burst.admitted()).hasSizeBetween(10, (int) burst.mostFromFull());
        assertThat(burst.admitted()).allSatisfy(decision -> {
            assertThat(decision.source()).isEqualTo(RateLimitDecision.Source.REDIS);
            assertThat(decision.limit()).isEqualTo(10);
        });
        assertThat(burst.admitted().getFirst().remainingTokens()).isEqualTo(9);
        assertThat(burst.admitted().getFirst().resetIn()).isEqualTo(Duration.ofMillis(200));
        RateLimitDecision denied = burst.denial();
        assertThat(denied.source()).isEqualTo(RateLimitDecision.Source.REDIS);
        assertThat(denied.remainingTokens()).isZero();
        assertThat(denied.retryAfter()).isBetween(Duration.ofMillis(199).minus(burst.took()), Duration.ofMillis(200));

        Thread.sleep(1_000);
        Drain refilled = drain(limits, 1, () -> consume(limiter, "burst", limits, 1));
        // about five, as the time around both runs bounds it
        refilled.admittedTheRefillSince(burst);
        assertThat(decisions(meters, "allowed", "redis"))
                .isEqualTo(burst.admitted().size() + refilled.admitted().size());
    }

    @Test
    void sharesTheBlockingLimitersScriptAndKeys() {
        BucketLimits limits = new BucketLimits(5, 0.01);
        RedisRateLimiter blocking = TestRateLimiters.limiter(redis, keys, RedisFailureMode.FAIL_CLOSED, meters,
                System::nanoTime);
        assertThat(blocking.tryConsume("shared", limits, 3).remainingTokens()).isEqualTo(2);

        RateLimitDecision reactive = consume(limiter(RedisFailureMode.FAIL_CLOSED), "shared", limits, 1);
        assertThat(reactive.remainingTokens()).isEqualTo(1);
        Map<Object, Object> hash = redis.opsForHash().entries(keys.key("rl:shared"));
        assertThat(hash).containsOnlyKeys("tokens", "ts");
        assertThat(redis.getExpire(keys.key("rl:shared"), TimeUnit.SECONDS)).isPositive();
        assertThat(blocking.tryConsume("shared", limits, 1).remainingTokens()).isZero();
    }

    @Test
    void remembersDenialsSoRequestsThatCannotPassCostNoRedisCallUntilTheRefill() throws InterruptedException {
        try (TestRedis own = TestRedis.startPrivate()) {
            LettuceConnectionFactory ownFactory = TestRateLimiters.connectionFactory(own);
            try {
                StringRedisTemplate ownRedis = new StringRedisTemplate(ownFactory);
                // the engine's clock stands still, so the remembered denial outlasts the loop however slow it is
                TestRateLimiters.ManualClock clock = new TestRateLimiters.ManualClock();
                ReactiveRedisRateLimiter limiter = TestRateLimiters.reactiveLimiter(ownFactory, keys,
                        RedisFailureMode.FAIL_CLOSED, meters, clock);
                BucketLimits limits = new BucketLimits(2, 0.5);
                assertThat(admitted(limiter, "memory", limits, 2)).isEqualTo(2);
                RateLimitDecision denied = consume(limiter, "memory", limits, 1);
                assertThat(denied.allowed()).isFalse();
                assertThat(denied.source()).isEqualTo(RateLimitDecision.Source.REDIS);

                long redisCallsBefore = scriptCalls(ownRedis);
                long attemptsBefore = scriptAttempts(meters);
                for (int i = 0; i < 50; i++) {
                    RateLimitDecision local = consume(limiter, "memory", limits, 1 + i % 2);
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
                RateLimitDecision afterRefill = consume(limiter, "memory", limits, 1);
                assertThat(afterRefill.allowed()).isTrue();
                assertThat(afterRefill.source()).isEqualTo(RateLimitDecision.Source.REDIS);
                assertThat(scriptCalls(ownRedis)).isEqualTo(redisCallsBefore + 1);
            } finally {
                ownFactory.destroy();
            }
        }
    }

    @Test
    void aRequestAgainstSeveralBucketsIsAdmittedOnlyWhenAllAdmitAndChargesNothingWhenOneDenies() {
        ReactiveRedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_CLOSED);
        RateLimitBucket minute = new RateLimitBucket("k:m", new BucketLimits(2, 0.01));
        RateLimitBucket hour = new RateLimitBucket("k:h", new BucketLimits(10, 0.01));
        List<RateLimitBucket> both = List.of(minute, hour);

        RateLimitDecision first = limiter.tryConsumeAll(both, 1).block();
        assertThat(first.allowed()).isTrue();
        // the governing decision is the bucket with the fewest tokens left
        assertThat(first.limit()).isEqualTo(2);
        assertThat(first.remainingTokens()).isEqualTo(1);
        assertThat(limiter.tryConsumeAll(both, 1).block().remainingTokens()).isZero();

        RateLimitDecision third = limiter.tryConsumeAll(both, 1).block();
        assertThat(third.allowed()).isFalse();
        assertThat(third.limit()).isEqualTo(2);
        assertThat(third.source()).isEqualTo(RateLimitDecision.Source.REDIS);
        // Redis denied the minute bucket and so charged neither: the hour bucket holds what two requests left
        assertThat(limiter.peek(hour.id(), hour.limits()).block().remainingTokens()).isEqualTo(8);

        long attempts = scriptAttempts(meters);
        for (int i = 0; i < 5; i++) {
            RateLimitDecision denied = limiter.tryConsumeAll(both, 1).block();
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.source()).isEqualTo(RateLimitDecision.Source.LOCAL_DENIAL);
            assertThat(denied.retryAfter()).isPositive();
        }
        assertThat(scriptAttempts(meters)).isEqualTo(attempts);
        assertThat(limiter.peek(hour.id(), hour.limits()).block().remainingTokens()).isEqualTo(8);
    }

    @Test
    void whenSeveralBucketsDenyTheLongestWaitGoverns() {
        ReactiveRedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_CLOSED);
        RateLimitBucket fast = new RateLimitBucket("fast", new BucketLimits(1, 10));
        RateLimitBucket slow = new RateLimitBucket("slow", new BucketLimits(1, 0.1));
        assertThat(limiter.tryConsumeAll(List.of(fast, slow), 1).block().allowed()).isTrue();

        RateLimitDecision denied = limiter.tryConsumeAll(List.of(fast, slow), 1).block();
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.retryAfter()).isGreaterThan(Duration.ofSeconds(5));
    }

    @Test
    void aLookTakesNothing() {
        ReactiveRedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_CLOSED);
        BucketLimits limits = new BucketLimits(3, 0.01);
        RateLimitDecision untouched = limiter.peek("look", limits).block();
        assertThat(untouched.allowed()).isTrue();
        assertThat(untouched.remainingTokens()).isEqualTo(3);
        assertThat(untouched.resetIn()).isZero();

        consume(limiter, "look", limits, 2);
        for (int i = 0; i < 3; i++) {
            RateLimitDecision look = limiter.peek("look", limits).block();
            assertThat(look.remainingTokens()).isEqualTo(1);
            assertThat(look.limit()).isEqualTo(3);
            assertThat(look.resetIn()).isBetween(Duration.ofSeconds(190), Duration.ofSeconds(200));
        }
        consume(limiter, "look", limits, 1);
        RateLimitDecision empty = limiter.peek("look", limits).block();
        assertThat(empty.allowed()).isFalse();
        assertThat(empty.remainingTokens()).isZero();
        assertThat(empty.retryAfter()).isBetween(Duration.ofSeconds(90), Duration.ofSeconds(100));
        // looks are not decisions
        assertThat(decisions(meters, "allowed", "redis")).isEqualTo(2);
    }

    @Test
    void rejectsAnInvalidCostBeforeTouchingRedis() {
        ReactiveRedisRateLimiter limiter = limiter(RedisFailureMode.FAIL_OPEN);
        BucketLimits limits = new BucketLimits(5, 1);
        Mono<RateLimitDecision> zero = limiter.tryConsume("invalid", limits, 0);
        assertThatThrownBy(zero::block).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.tryConsume("invalid", limits, 6).block())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.tryConsumeAll(List.of(), 1).block())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(redis.hasKey(keys.key("rl:invalid"))).isFalse();
        assertThat(scriptAttempts(meters)).isZero();
    }

    @Test
    void anErrorReplyFromRedisIsHandledByTheFailureModeNeverEscapes() {
        redis.opsForValue().set(keys.key("rl:wrong-type"), "not a hash");
        BucketLimits limits = new BucketLimits(5, 1);

        assertThatThrownBy(() -> limiter(RedisFailureMode.FAIL_CLOSED).tryConsume("wrong-type", limits, 1).block())
                .isInstanceOf(RateLimiterUnavailable.class);
        RateLimitDecision local = consume(limiter(RedisFailureMode.LOCAL), "wrong-type", limits, 1);
        assertThat(local.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
        assertThat(local.remainingTokens()).isEqualTo(4);
        assertThat(consume(limiter(RedisFailureMode.FAIL_OPEN), "wrong-type", limits, 1).source())
                .isEqualTo(RateLimitDecision.Source.FAIL_OPEN);
    }

    @Test
    void decidesOnAThreadThatMustNotBlock() {
        // parallel() threads refuse Reactor's block(): a limiter blocking inside would fail here
        RateLimitDecision decision = Mono.defer(() -> limiter(RedisFailureMode.FAIL_CLOSED)
                        .tryConsume("non-blocking", new BucketLimits(2, 1), 1))
                .subscribeOn(Schedulers.parallel())
                .block(Duration.ofSeconds(5));
        assertThat(decision.source()).isEqualTo(RateLimitDecision.Source.REDIS);
        assertThat(decision.remainingTokens()).isEqualTo(1);
    }
    /** What a test does with a Redis of its own, a connection to it and a limiter on that connection. */
    private interface OnPrivateRedis {
        void run(TestRedis own, LettuceConnectionFactory ownFactory, ReactiveRedisRateLimiter limiter);
    }

    /** Runs {@code test} against a Redis started for it alone (stopped afterwards), with this test's keys and meters. */
    private void onPrivateRedis(RedisFailureMode mode, OnPrivateRedis test) {
        try (TestRedis own = TestRedis.startPrivate()) {
            LettuceConnectionFactory ownFactory = TestRateLimiters.connectionFactory(own);
            try {
                test.run(own, ownFactory, TestRateLimiters.reactiveLimiter(ownFactory, keys, mode, meters,
                        System::nanoTime));
            } finally {
                ownFactory.destroy();
            }
        }
    }

    /**
     * Holds the script calls on a private Redis ({@code CLIENT PAUSE … WRITE} from a connection of its own, which a
     * paused Redis still serves) while {@code requests} decisions are asked for, then lets them through: the first
     * call goes out alone and is held, so every later request waits for it and goes out in a batch; no timing is
     * assumed.
     */
    private static List<RateLimitDecision> heldThenReleased(TestRedis own, ReactiveRedisRateLimiter limiter,
                                                            List<Mono<RateLimitDecision>> requests) {
        LettuceConnectionFactory admin = TestRateLimiters.connectionFactory(own);
        try {
            StringRedisTemplate adminRedis = new StringRedisTemplate(admin);
            adminRedis.execute((RedisCallback<Object>) c -> c.execute("CLIENT", "PAUSE".getBytes(),
                    "20000".getBytes(), "WRITE".getBytes()));
            List<java.util.concurrent.CompletableFuture<RateLimitDecision>> answers = new java.util.ArrayList<>();
            for (Mono<RateLimitDecision> request : requests) {
                answers.add(request.toFuture());
            }
            assertThat(answers).noneMatch(java.util.concurrent.CompletableFuture::isDone);
            adminRedis.execute((RedisCallback<Object>) c -> c.execute("CLIENT", "UNPAUSE".getBytes()));
            return answers.stream().map(answer -> answer.orTimeout(10, TimeUnit.SECONDS).join()).toList();
        } finally {
            admin.destroy();
        }
    }

    @Test
    void requestsThatArriveWhileACallIsOutShareTheNextCallAndAreDecidedInTheOrderTheyCame() {
        onPrivateRedis(RedisFailureMode.FAIL_CLOSED, (own, ownFactory, limiter) -> {
            StringRedisTemplate ownRedis = new StringRedisTemplate(ownFactory);
            // loaded beforehand, so every call below is one EVALSHA (a fresh Redis answers the first NOSCRIPT)
            ownRedis.execute(TokenBucketScript.SCRIPT, List.of(keys.key("rl:load")), "1", "1", "1");
            long callsBefore = scriptCalls(ownRedis);
            BucketLimits limits = new BucketLimits(100, 0.001);
            int asked = 1 + CoalescedScriptCalls.MAX_REQUESTS_PER_CALL + 71;
            List<Mono<RateLimitDecision>> requests = new java.util.ArrayList<>();
            for (int i = 0; i < asked; i++) {
                requests.add(limiter.tryConsume("coalesced", limits, 1));
            }

            List<RateLimitDecision> decisions = heldThenReleased(own, limiter, requests);

            // the first request alone, then the 199 that waited in two calls: 128 and 71
            assertThat(scriptCalls(ownRedis) - callsBefore).isEqualTo(3);
            io.micrometer.core.instrument.DistributionSummary batches =
                    meters.get(CoalescedScriptCalls.BATCH_SIZE).summary();
            assertThat(batches.count()).isEqualTo(3);
            assertThat(batches.totalAmount()).isEqualTo(asked);
            assertThat(batches.max()).isEqualTo(CoalescedScriptCalls.MAX_REQUESTS_PER_CALL);
            // one after the other, in the order asked: the first 100 take the tokens 99 down to 0, the rest
            // are denied, each with Redis's answer
            for (int i = 0; i < asked; i++) {
                RateLimitDecision decision = decisions.get(i);
                assertThat(decision.source()).as("decision %d", i).isEqualTo(RateLimitDecision.Source.REDIS);
                assertThat(decision.allowed()).as("decision %d", i).isEqualTo(i < 100);
                assertThat(decision.remainingTokens()).as("decision %d", i).isEqualTo(Math.max(99 - i, 0));
            }
            assertThat(decisions(meters, "allowed", "redis")).isEqualTo(100);
            assertThat(decisions(meters, "denied", "redis")).isEqualTo(asked - 100);
            // what the refill of 0.001 a second has added since, less than one token
            assertThat(Double.parseDouble(ownRedis.opsForHash().get(keys.key("rl:coalesced"), "tokens").toString()))
                    .isLessThan(1);
        });
    }

    @Test
    void eachRequestOfABatchIsAllOrNothingOnItsOwn() {
        onPrivateRedis(RedisFailureMode.FAIL_CLOSED, (own, ownFactory, limiter) -> {
            RateLimitBucket minute = new RateLimitBucket("k:minute", new BucketLimits(5, 0.001));
            RateLimitBucket hour = new RateLimitBucket("k:hour", new BucketLimits(1, 0.001));
            RateLimitBucket other = new RateLimitBucket("other", new BucketLimits(3, 0.001));

            List<RateLimitDecision> decisions = heldThenReleased(own, limiter, List.of(
                    limiter.tryConsume("first", new BucketLimits(1, 0.001), 1),
                    // takes the hour's only token, and one of the minute's
                    limiter.tryConsumeAll(List.of(minute, hour), 1),
                    // the hour is empty now: denied, and the minute is left as the previous request left it
                    limiter.tryConsumeAll(List.of(minute, hour), 1),
                    limiter.tryConsumeAll(List.of(other), 2),
                    limiter.tryConsume(minute.id(), minute.limits(), 2)));

            assertThat(decisions).extracting(RateLimitDecision::allowed)
                    .containsExactly(true, true, false, true, true);
            assertThat(decisions.get(1).remainingTokens()).isZero(); // the hour governs: 0 left of 1
            assertThat(decisions.get(2).limit()).isEqualTo(1);
            assertThat(decisions.get(3).remainingTokens()).isEqualTo(1);
            // 5 - 1 (second request) - 2 (last): the denied third charged nothing
            assertThat(decisions.get(4).remainingTokens()).isEqualTo(2);
            assertThat(meters.get(CoalescedScriptCalls.BATCH_SIZE).summary().max()).isEqualTo(4);
        });
    }

    @Test
    void whenRedisGoesAwayWithABatchOutEveryRequestItCarriedIsDecidedByTheFailureMode() {
        onPrivateRedis(RedisFailureMode.LOCAL, (own, ownFactory, limiter) -> {
                LettuceConnectionFactory admin = TestRateLimiters.connectionFactory(own);
            BucketLimits limits = new BucketLimits(10, 0.001);
            new StringRedisTemplate(admin).execute((RedisCallback<Object>) c -> c.execute("CLIENT",
                    "PAUSE".getBytes(), "20000".getBytes(), "WRITE".getBytes()));
            List<java.util.concurrent.CompletableFuture<RateLimitDecision>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(limiter.tryConsume("away", limits, 1).toFuture());
            }
            assertThat(answers).noneMatch(java.util.concurrent.CompletableFuture::isDone);
            admin.destroy();
            own.stop();

            List<RateLimitDecision> decisions = answers.stream()
                    .map(answer -> answer.orTimeout(15, TimeUnit.SECONDS).join()).toList();
            // the local buckets decided all twenty: ten admitted, ten denied, none left hanging
            assertThat(decisions).allSatisfy(decision ->
                    assertThat(decision.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET));
            assertThat(decisions).filteredOn(RateLimitDecision::allowed).hasSize(10);
        });
    }
    @Test
    void aMalformedBatchIsRefusedWholeBeforeAnyBucketIsWritten() {
        List<String> bucketKeys = List.of(keys.key("rl:batch-a"), keys.key("rl:batch-b"));
        // the first request is well formed; the second names more buckets than there are keys
        assertThatThrownBy(() -> redis.execute(TokenBucketScript.SCRIPT, bucketKeys,
                "batch", "1", "1", "5", "1.0", "2", "1", "5", "1.0", "5", "1.0"))
                .hasRootCauseMessage("rate-limit script: malformed batch at argument 6");
        // a cost that is not a number
        assertThatThrownBy(() -> redis.execute(TokenBucketScript.SCRIPT, bucketKeys,
                "batch", "1", "1", "5", "1.0", "1", "x", "5", "1.0"))
                .hasRootCauseMessage("rate-limit script: malformed batch at argument 6");
        assertThat(redis.countExistingKeys(bucketKeys)).isZero();
        // well formed, it charges both
        List<?> reply = redis.execute(TokenBucketScript.SCRIPT, bucketKeys,
                "batch", "1", "1", "5", "1.0", "1", "2", "5", "1.0");
        assertThat(TokenBucketScript.parseBatch(reply, List.of(
                new TokenBucketScript.Call(List.of(new RateLimitBucket("batch-a", new BucketLimits(5, 1))), 1),
                new TokenBucketScript.Call(List.of(new RateLimitBucket("batch-b", new BucketLimits(5, 1))), 2))))
                .extracting(r -> r.buckets().getFirst().tokens()).containsExactly(4.0, 3.0);
    }
}
