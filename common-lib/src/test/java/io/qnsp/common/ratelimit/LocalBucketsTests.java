package io.qnsp.common.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LocalBucketsTests {

    private static final long T0 = 5_000_000_000L;
    private final BucketLimits fivePerSecond = new BucketLimits(10, 5);

    @Test
    void admitsTheCapacityAtOnceThenRefillsAtTheRate() {
        LocalBuckets buckets = new LocalBuckets(100);
        for (int i = 1; i <= 10; i++) {
            RateLimitDecision decision = buckets.tryConsume("b", fivePerSecond, 1, T0);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.remainingTokens()).isEqualTo(10 - i);
            assertThat(decision.source()).isEqualTo(RateLimitDecision.Source.LOCAL_BUCKET);
        }
        RateLimitDecision denied = buckets.tryConsume("b", fivePerSecond, 1, T0);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.retryAfter()).isEqualTo(Duration.ofMillis(200));
        assertThat(denied.resetIn()).isEqualTo(Duration.ofSeconds(2));
        assertThat(denied.limit()).isEqualTo(10);

        long oneSecondLater = T0 + Duration.ofSeconds(1).toNanos();
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            if (buckets.tryConsume("b", fivePerSecond, 1, oneSecondLater).allowed()) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(5);
    }

    @Test
    void costTakesThatManyTokens() {
        LocalBuckets buckets = new LocalBuckets(100);
        assertThat(buckets.tryConsume("b", fivePerSecond, 4, T0).remainingTokens()).isEqualTo(6);
        assertThat(buckets.tryConsume("b", fivePerSecond, 4, T0).remainingTokens()).isEqualTo(2);
        RateLimitDecision denied = buckets.tryConsume("b", fivePerSecond, 4, T0);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.remainingTokens()).isEqualTo(2);
        assertThat(denied.retryAfter()).isEqualTo(Duration.ofMillis(400));
        // a smaller cost still fits
        assertThat(buckets.tryConsume("b", fivePerSecond, 2, T0).allowed()).isTrue();
    }

    @Test
    void aShrunkenCapacityClampsTheTokensAndAGrownOneRefillsFurther() {
        LocalBuckets buckets = new LocalBuckets(100);
        buckets.tryConsume("b", fivePerSecond, 1, T0);
        BucketLimits small = new BucketLimits(3, 5);
        RateLimitDecision clamped = buckets.tryConsume("b", small, 1, T0);
        assertThat(clamped.remainingTokens()).isEqualTo(2);
        assertThat(clamped.limit()).isEqualTo(3);

        BucketLimits large = new BucketLimits(50, 5);
        RateLimitDecision grown = buckets.tryConsume("b", large, 1, T0 + Duration.ofSeconds(4).toNanos());
        assertThat(grown.remainingTokens()).isEqualTo(2 + 20 - 1);
    }

    @Test
    void bucketsAreIndependent() {
        LocalBuckets buckets = new LocalBuckets(100);
        buckets.tryConsume("a", fivePerSecond, 10, T0);
        assertThat(buckets.tryConsume("a", fivePerSecond, 1, T0).allowed()).isFalse();
        assertThat(buckets.tryConsume("b", fivePerSecond, 1, T0).allowed()).isTrue();
    }

    @Test
    void staysBoundedAndDropsFullBucketsFirst() {
        LocalBuckets buckets = new LocalBuckets(100);
        BucketLimits slow = new BucketLimits(10, 0.001);
        buckets.tryConsume("drained", slow, 10, T0);
        for (int i = 0; i < 1_000; i++) {
            // full again after 200ms
            buckets.tryConsume("busy-" + i, fivePerSecond, 1, T0 + i * 1_000_000_000L);
        }
        assertThat(buckets.size()).isLessThanOrEqualTo(100);
        // the drained bucket was never full, so sweeping expired ones kept it
        assertThat(buckets.tryConsume("drained", slow, 1, T0 + 999_000_000_000L).allowed()).isFalse();
    }

    @Test
    void severalBucketsAreChargedAllOrNothing() {
        LocalBuckets buckets = new LocalBuckets(100);
        RateLimitBucket minute = new RateLimitBucket("m", new BucketLimits(5, 0.001));
        RateLimitBucket hour = new RateLimitBucket("h", new BucketLimits(2, 0.001));
        for (int i = 0; i < 2; i++) {
            List<RateLimitDecision> admitted = buckets.tryConsumeAll(List.of(minute, hour), 1, T0);
            assertThat(admitted).hasSize(2).allSatisfy(decision -> assertThat(decision.allowed()).isTrue());
        }
        List<RateLimitDecision> denied = buckets.tryConsumeAll(List.of(minute, hour), 1, T0);
        // only the bucket that lacked the token answers a refusal
        assertThat(denied).singleElement().satisfies(decision -> {
            assertThat(decision.allowed()).isFalse();
            assertThat(decision.limit()).isEqualTo(2);
            assertThat(decision.retryAfter()).isEqualTo(Duration.ofSeconds(1_000));
        });
        assertThat(buckets.peek("m", minute.limits(), T0)).isEqualTo(3);
        assertThat(buckets.peek("h", hour.limits(), T0)).isZero();
    }

    @Test
    void concurrentRequestsNeverTakeMoreThanTheBucketsHold() throws Exception {
        LocalBuckets buckets = new LocalBuckets(100);
        BucketLimits still = new BucketLimits(30, 0.001);
        RateLimitBucket minute = new RateLimitBucket("m", still);
        RateLimitBucket hour = new RateLimitBucket("h", new BucketLimits(100, 0.001));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                // half the threads charge both buckets, the others only the hour bucket
                List<RateLimitBucket> charged = t % 2 == 0 ? List.of(minute, hour) : List.of(hour);
                results.add(pool.submit(() -> {
                    go.await();
                    int admitted = 0;
                    for (int i = 0; i < 100; i++) {
                        if (RateLimitEngine.governing(buckets.tryConsumeAll(charged, 1, T0)).allowed()) {
                            admitted++;
                        }
                    }
                    return new int[] {charged.size(), admitted};
                }));
            }
            go.countDown();
            int both = 0;
            int hourOnly = 0;
            for (Future<int[]> result : results) {
                int[] counts = result.get(30, TimeUnit.SECONDS);
                if (counts[0] == 2) {
                    both += counts[1];
                } else {
                    hourOnly += counts[1];
                }
            }
            assertThat(both).isLessThanOrEqualTo(30);
            assertThat(both + hourOnly).isEqualTo(100);
            assertThat(buckets.peek("m", still, T0)).isEqualTo(30 - both);
            assertThat(buckets.peek("h", hour.limits(), T0)).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
