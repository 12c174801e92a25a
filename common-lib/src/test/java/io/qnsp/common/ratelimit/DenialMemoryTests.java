package io.qnsp.common.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DenialMemoryTests {

    private static final long SENT = 7_000_000_000L;
    private final BucketLimits onePerSecond = new BucketLimits(10, 1);

    private static long at(Duration sinceSend) {
        return SENT + sinceSend.toNanos();
    }

    @Test
    void deniesLocallyUntilTheRefillSinceSendingCoversTheCost() {
        DenialMemory memory = new DenialMemory(100);
        memory.remember("b", onePerSecond, 0.5, SENT);

        RateLimitDecision local = memory.check("b", onePerSecond, 1, at(Duration.ofMillis(400)));
        assertThat(local).isNotNull();
        assertThat(local.allowed()).isFalse();
        assertThat(local.source()).isEqualTo(RateLimitDecision.Source.LOCAL_DENIAL);
        assertThat(local.remainingTokens()).isZero();
        assertThat(local.retryAfter()).isEqualTo(Duration.ofMillis(100));
        assertThat(local.limit()).isEqualTo(10);

        assertThat(memory.check("b", onePerSecond, 1, at(Duration.ofMillis(500)))).isNull();
    }

    @Test
    void aLargerCostStaysDeniedLongerThanASmallOne() {
        DenialMemory memory = new DenialMemory(100);
        memory.remember("b", onePerSecond, 0, SENT);
        long later = at(Duration.ofMillis(1_500));
        assertThat(memory.check("b", onePerSecond, 1, later)).isNull();
        RateLimitDecision forThree = memory.check("b", onePerSecond, 3, later);
        assertThat(forThree).isNotNull();
        assertThat(forThree.remainingTokens()).isEqualTo(1);
        assertThat(forThree.retryAfter()).isEqualTo(Duration.ofMillis(1_500));
    }

    @Test
    void otherLimitsOrOtherBucketsAreNeverDeniedFromMemory() {
        DenialMemory memory = new DenialMemory(100);
        memory.remember("b", onePerSecond, 0, SENT);
        assertThat(memory.check("b", new BucketLimits(20, 1), 1, SENT)).isNull();
        assertThat(memory.check("b", new BucketLimits(10, 2), 1, SENT)).isNull();
        assertThat(memory.check("other", onePerSecond, 1, SENT)).isNull();
        assertThat(memory.check("b", onePerSecond, 1, SENT)).isNotNull();
    }

    @Test
    void entriesVanishOnceTheBucketCouldBeFullAndTheMapStaysBounded() {
        DenialMemory memory = new DenialMemory(50);
        memory.remember("b", onePerSecond, 0, SENT);
        assertThat(memory.size()).isEqualTo(1);
        memory.check("b", onePerSecond, 1, at(Duration.ofSeconds(10)));
        assertThat(memory.size()).isZero();

        for (int i = 0; i < 500; i++) {
            memory.remember("b" + i, onePerSecond, 0, SENT);
        }
        assertThat(memory.size()).isLessThanOrEqualTo(50);
    }
}
