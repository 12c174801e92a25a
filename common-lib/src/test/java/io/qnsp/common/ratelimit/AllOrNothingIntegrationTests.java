package io.qnsp.common.ratelimit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qnsp.common.ratelimit.RateLimitProperties.RedisFailureMode;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static io.qnsp.common.ratelimit.TestRateLimiters.decisions;
import static io.qnsp.common.ratelimit.TestRateLimiters.scriptAttempts;
import static io.qnsp.common.ratelimit.TestRateLimiters.scriptCalls;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request against several buckets on a real Redis, through the blocking and the reactive limiter alike: one script
 * call for all of them, all-or-nothing, exact under concurrency. The buckets refill so slowly (a token every 1,000 s)
 * that no test lives long enough to see a whole token come back, so the counts are exact whatever the machine's speed.
 * The tests have a Redis of their own, so that its command counts are theirs alone.
 */
class AllOrNothingIntegrationTests {

    private static final double GLACIAL = 0.001;

    /** The two limiters, behind one blocking call so that each test runs against both. */
    enum Kind {
        BLOCKING, REACTIVE;

        Limiter create(LettuceConnectionFactory factory, RedisKeys keys, SimpleMeterRegistry meters,
                       LongSupplier clock) {
            if (this == BLOCKING) {
                RedisRateLimiter limiter = TestRateLimiters.limiter(new StringRedisTemplate(factory), keys,
                        RedisFailureMode.FAIL_CLOSED, meters, clock);
                return limiter::tryConsumeAll;
            }
            ReactiveRedisRateLimiter limiter = TestRateLimiters.reactiveLimiter(factory, keys,
                    RedisFailureMode.FAIL_CLOSED, meters, clock);
            return (buckets, cost) -> limiter.tryConsumeAll(buckets, cost).block(Duration.ofSeconds(10));
        }
    }

    @FunctionalInterface
    interface Limiter {
        RateLimitDecision tryConsumeAll(List<RateLimitBucket> buckets, long cost);
    }

    private static TestRedis redis;
    private static LettuceConnectionFactory factory;
    private static StringRedisTemplate template;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RedisKeys keys = TestRateLimiters.freshKeys();

    @BeforeAll
    static void start() {
        redis = TestRedis.startPrivate();
        factory = TestRateLimiters.connectionFactory(redis);
        template = new StringRedisTemplate(factory);
    }

    @AfterAll
    static void stop() {
        factory.destroy();
        redis.close();
    }

    private static RateLimitBucket bucket(String id, long capacity) {
        return new RateLimitBucket(id, new BucketLimits(capacity, GLACIAL));
    }

    /** The tokens Redis holds for a bucket, read straight from its hash. */
    private double storedTokens(RateLimitBucket bucket) {
        Object tokens = template.opsForHash().get(keys.key("rl:" + bucket.id()), "tokens");
        assertThat(tokens).as("stored tokens of %s", bucket.id()).isNotNull();
        return Double.parseDouble(tokens.toString());
    }

    private static long commandCalls(StringRedisTemplate redis, String command) {
        Properties stats = redis.execute((RedisCallback<Properties>) connection ->
                connection.serverCommands().info("commandstats"));
        String line = stats.getProperty("cmdstat_" + command);
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

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aDenialInTheHourWindowLeavesTheMinuteWindowUncharged(Kind kind) {
        Limiter limiter = kind.create(factory, keys, meters, System::nanoTime);
        RateLimitBucket minute = bucket("caller:m", 5);
        RateLimitBucket hour = bucket("caller:h", 2);
        List<RateLimitBucket> windows = List.of(minute, hour);

        assertThat(limiter.tryConsumeAll(windows, 1).allowed()).isTrue();
        RateLimitDecision second = limiter.tryConsumeAll(windows, 1);
        assertThat(second.allowed()).isTrue();
        // the hour window has fewer requests left, so it governs
        assertThat(second.limit()).isEqualTo(2);
        assertThat(second.remainingTokens()).isZero();
        assertThat(storedTokens(minute)).isGreaterThanOrEqualTo(3).isLessThan(3.5);

        RateLimitDecision denied = limiter.tryConsumeAll(windows, 1);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.source()).isEqualTo(RateLimitDecision.Source.REDIS);
        assertThat(denied.limit()).isEqualTo(2);
        assertThat(denied.retryAfter()).isGreaterThan(Duration.ofSeconds(900));
        // Redis found the hour bucket empty and charged neither
        assertThat(storedTokens(minute)).isGreaterThanOrEqualTo(3).isLessThan(3.5);
        assertThat(storedTokens(hour)).isLessThan(1);

        RateLimitDecision remembered = limiter.tryConsumeAll(windows, 1);
        assertThat(remembered.allowed()).isFalse();
        assertThat(remembered.source()).isEqualTo(RateLimitDecision.Source.LOCAL_DENIAL);
        assertThat(storedTokens(minute)).isGreaterThanOrEqualTo(3).isLessThan(3.5);

        // the minute bucket still serves a request that does not need the hour bucket
        RateLimitDecision minuteAlone = limiter.tryConsumeAll(List.of(minute), 3);
        assertThat(minuteAlone.allowed()).isTrue();
        assertThat(minuteAlone.remainingTokens()).isZero();
        // one decision per call, whatever the number of buckets
        assertThat(decisions(meters, "allowed", "redis")).isEqualTo(3);
        assertThat(decisions(meters, "denied", "redis")).isEqualTo(1);
        assertThat(decisions(meters, "denied", "local_denial")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void oneScriptCallPerRequestThatReachesRedisAndNoneWhenTheDenialMemoryAnswers(Kind kind) {
        // the engine's clock stands still, so a remembered denial outlasts the test however slow the machine is
        TestRateLimiters.ManualClock clock = new TestRateLimiters.ManualClock();
        Limiter limiter = kind.create(factory, keys, meters, clock);
        List<RateLimitBucket> windows = List.of(bucket("three:m", 3), bucket("three:h", 50), bucket("three:d", 500));
        limiter.tryConsumeAll(List.of(bucket("warm-up", 1)), 1);

        long scripts = scriptCalls(template);
        long reads = commandCalls(template, "hmget");
        long clocks = commandCalls(template, "time");
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryConsumeAll(windows, 1).allowed()).isTrue();
        }
        assertThat(limiter.tryConsumeAll(windows, 1).allowed()).isFalse();
        // four requests, four script calls; each read the three buckets on one reading of Redis's clock
        assertThat(scriptCalls(template) - scripts).isEqualTo(4);
        assertThat(commandCalls(template, "hmget") - reads).isEqualTo(12);
        assertThat(commandCalls(template, "time") - clocks).isEqualTo(4);

        long attempts = scriptAttempts(meters);
        long afterDenial = scriptCalls(template);
        for (int i = 0; i < 20; i++) {
            RateLimitDecision denied = limiter.tryConsumeAll(windows, 1);
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.source()).isEqualTo(RateLimitDecision.Source.LOCAL_DENIAL);
        }
        assertThat(scriptCalls(template)).isEqualTo(afterDenial);
        assertThat(scriptAttempts(meters)).isEqualTo(attempts);
        assertThat(decisions(meters, "denied", "local_denial")).isEqualTo(20);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentRequestsOnSharedBucketsNeverAdmitMoreThanTheSmallestWindowAllows(Kind kind) throws Exception {
        // two instances of the limiter, as two gateways would share the buckets
        List<Limiter> instances = List.of(kind.create(factory, keys, meters, System::nanoTime),
                kind.create(factory, keys, new SimpleMeterRegistry(), System::nanoTime));
        RateLimitBucket minute = bucket("shared:m", 25);
        RateLimitBucket hour = bucket("shared:h", 60);
        List<RateLimitBucket> windows = List.of(minute, hour);
        for (Limiter instance : instances) {
            instance.tryConsumeAll(List.of(bucket("warm-up", 1)), 1);
        }

        int threads = 8;
        int attemptsEach = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Limiter instance = instances.get(t % 2);
                // half the threads charge both windows, the others only the hour window
                List<RateLimitBucket> charged = t % 4 < 2 ? windows : List.of(hour);
                Callable<int[]> worker = () -> {
                    go.await();
                    int admitted = 0;
                    for (int i = 0; i < attemptsEach; i++) {
                        if (instance.tryConsumeAll(charged, 1).allowed()) {
                            admitted++;
                        }
                    }
                    return new int[] {charged.size(), admitted};
                };
                results.add(pool.submit(worker));
            }
            go.countDown();
            int both = 0;
            int hourOnly = 0;
            for (Future<int[]> result : results) {
                int[] counts = result.get(60, TimeUnit.SECONDS);
                if (counts[0] == 2) {
                    both += counts[1];
                } else {
                    hourOnly += counts[1];
                }
            }
            // 160 attempts on a 60-token hour bucket: it is emptied exactly, and never overdrawn
            assertThat(both + hourOnly).isEqualTo(60);
            assertThat(both).isLessThanOrEqualTo(25);
            // the minute bucket lost exactly what the admitted requests through it took, no refused one charged it
            assertThat(storedTokens(minute)).isGreaterThanOrEqualTo(25 - both).isLessThan(25 - both + 0.5);
            assertThat(storedTokens(hour)).isLessThan(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentRequestsAgainstTheSameWindowsAdmitExactlyTheSmallestCapacity(Kind kind) throws Exception {
        List<Limiter> instances = List.of(kind.create(factory, keys, meters, System::nanoTime),
                kind.create(factory, keys, new SimpleMeterRegistry(), System::nanoTime));
        RateLimitBucket minute = bucket("same:m", 40);
        RateLimitBucket hour = bucket("same:h", 30);
        RateLimitBucket day = bucket("same:d", 100);
        List<RateLimitBucket> windows = List.of(minute, hour, day);
        for (Limiter instance : instances) {
            instance.tryConsumeAll(List.of(bucket("warm-up", 1)), 1);
        }
        // 200 requests at once, 32 in flight at a time, alternating between the instances
        List<RateLimitDecision> decided = Flux.range(0, 200)
                .flatMap(i -> Mono.fromCallable(() -> instances.get(i % 2).tryConsumeAll(windows, 1))
                        .subscribeOn(Schedulers.boundedElastic()), 32)
                .collectList()
                .block(Duration.ofSeconds(60));
        assertThat(decided).hasSize(200);
        assertThat(decided.stream().filter(RateLimitDecision::allowed).count()).isEqualTo(30);
        assertThat(storedTokens(minute)).isGreaterThanOrEqualTo(10).isLessThan(10.5);
        assertThat(storedTokens(hour)).isLessThan(1);
        assertThat(storedTokens(day)).isGreaterThanOrEqualTo(70).isLessThan(70.5);
    }
}
