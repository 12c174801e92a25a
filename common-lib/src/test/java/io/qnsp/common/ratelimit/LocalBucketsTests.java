package io.qnsp.common.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;

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
}
