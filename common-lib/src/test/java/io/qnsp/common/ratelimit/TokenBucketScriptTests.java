package io.qnsp.common.ratelimit;

import io.qnsp.common.redis.RedisKeys;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenBucketScriptTests {

    private final BucketLimits limits = new BucketLimits(10, 2.5);

    @Test
    void keyLivesUnderThePrefix() {
        assertThat(TokenBucketScript.key(new RedisKeys("p:"), "tenant-1")).isEqualTo("p:rl:tenant-1");
    }

    @Test
    void argumentsCarryTheLimitsAndTheCost() {
        assertThat(TokenBucketScript.arguments(limits, 3)).containsExactly("10", "2.5", "3");
    }

    @Test
    void anAdmitReportsWholeTokensLeftAndNoRetry() {
        RateLimitDecision decision = TokenBucketScript.parse(List.of(1L, "3.75", 0L, 2_500_000L)).toDecision(limits);
        assertThat(decision).isEqualTo(new RateLimitDecision(true, 3, 10, Duration.ofMillis(2_500), Duration.ZERO,
                RateLimitDecision.Source.REDIS));
    }

    @Test
    void aDenialReportsTheRetryAfter() {
        RateLimitDecision decision = TokenBucketScript.parse(List.of(0L, "0.25", 300_000L, 3_900_000L)).toDecision(limits);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.remainingTokens()).isZero();
        assertThat(decision.retryAfter()).isEqualTo(Duration.ofMillis(300));
        assertThat(decision.resetIn()).isEqualTo(Duration.ofMillis(3_900));
    }

    @Test
    void anythingElseIsRejected() {
        assertThatThrownBy(() -> TokenBucketScript.parse(null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TokenBucketScript.parse(List.of(1L, "x", 0L, 0L))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TokenBucketScript.parse(List.of(1L))).isInstanceOf(IllegalStateException.class);
    }
}
