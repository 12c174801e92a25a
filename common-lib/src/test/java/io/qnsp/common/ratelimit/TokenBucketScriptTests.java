package io.qnsp.common.ratelimit;

import io.qnsp.common.redis.RedisKeys;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenBucketScriptTests {

    private final BucketLimits limits = new BucketLimits(10, 2.5);
    private final List<RateLimitBucket> minuteAndHour = List.of(new RateLimitBucket("k:m", new BucketLimits(60, 1)),
            new RateLimitBucket("k:h", new BucketLimits(3600, 1)));

    @Test
    void keyLivesUnderThePrefix() {
        assertThat(TokenBucketScript.key(new RedisKeys("p:"), "tenant-1")).isEqualTo("p:rl:tenant-1");
        assertThat(TokenBucketScript.keys(new RedisKeys("p:"), minuteAndHour)).containsExactly("p:rl:k:m", "p:rl:k:h");
    }

    @Test
    void argumentsCarryTheLimitsOfEachBucketThenTheCost() {
        // one bucket: the layout the single-key script had, so stored buckets and scripted callers keep working
        assertThat(TokenBucketScript.arguments(List.of(new RateLimitBucket("b", limits)), 3))
                .containsExactly("10", "2.5", "3");
        assertThat(TokenBucketScript.arguments(minuteAndHour, 1)).containsExactly("60", "1.0", "3600", "1.0", "1");
    }

    @Test
    void anAdmitReportsWholeTokensLeftAndNoRetry() {
        TokenBucketScript.Reply reply = TokenBucketScript.parse(List.of(1L, "3.75", 0L, 2_500_000L), 1);
        assertThat(reply.allowed()).isTrue();
        RateLimitDecision decision = reply.buckets().getFirst().toDecision(limits, reply.allowed());
        assertThat(decision).isEqualTo(new RateLimitDecision(true, 3, 10, Duration.ofMillis(2_500), Duration.ZERO,
                RateLimitDecision.Source.REDIS));
    }

    @Test
    void aDenialReportsTheRetryAfter() {
        TokenBucketScript.Reply reply = TokenBucketScript.parse(List.of(0L, "0.25", 300_000L, 3_900_000L), 1);
        RateLimitDecision decision = reply.buckets().getFirst().toDecision(limits, reply.allowed());
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.remainingTokens()).isZero();
        assertThat(decision.retryAfter()).isEqualTo(Duration.ofMillis(300));
        assertThat(decision.resetIn()).isEqualTo(Duration.ofMillis(3_900));
    }

    @Test
    void aReplyForSeveralBucketsIsAdmittedOnlyWhenEveryBucketWasSufficient() {
        TokenBucketScript.Reply reply = TokenBucketScript.parse(
                List.of(1L, "12.5", 0L, 47_500_000L, 0L, "0.5", 500_000L, 3_599_500_000L), 2);
        assertThat(reply.allowed()).isFalse();
        assertThat(reply.buckets()).containsExactly(
                new TokenBucketScript.BucketReply(true, 12.5, 0, 47_500_000),
                new TokenBucketScript.BucketReply(false, 0.5, 500_000, 3_599_500_000L));
    }

    @Test
    void anythingElseIsRejected() {
        assertThatThrownBy(() -> TokenBucketScript.parse(null, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TokenBucketScript.parse(List.of(1L, "x", 0L, 0L), 1))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TokenBucketScript.parse(List.of(1L), 1)).isInstanceOf(IllegalStateException.class);
        // a reply for one bucket where two were asked
        assertThatThrownBy(() -> TokenBucketScript.parse(List.of(1L, "1", 0L, 0L), 2))
                .isInstanceOf(IllegalStateException.class);
    }
    @Test
    void aBatchCarriesEachRequestsBucketCountCostAndLimitsAndItsRepliesAreSplitInOrder() {
        List<TokenBucketScript.Call> calls = List.of(new TokenBucketScript.Call(minuteAndHour, 1),
                new TokenBucketScript.Call(List.of(new RateLimitBucket("b", limits)), 3));
        assertThat(TokenBucketScript.batchKeys(new RedisKeys("p:"), calls)).containsExactly("p:rl:k:m", "p:rl:k:h", "p:rl:b");
        assertThat(TokenBucketScript.batchArguments(calls))
                .containsExactly("batch", "2", "1", "60", "1.0", "3600", "1.0", "1", "3", "10", "2.5");

        List<TokenBucketScript.Reply> replies = TokenBucketScript.parseBatch(List.of(1L, "59", 0L, 1_000_000L,
                0L, "0.5", 500_000L, 3_599_500_000L, 1L, "7", 0L, 1_200_000L), calls);
        assertThat(replies).hasSize(2);
        assertThat(replies.get(0).allowed()).isFalse();
        assertThat(replies.get(0).buckets()).hasSize(2);
        assertThat(replies.get(1).allowed()).isTrue();
        assertThat(replies.get(1).buckets()).containsExactly(new TokenBucketScript.BucketReply(true, 7, 0, 1_200_000));
        // a reply that does not have four values for every bucket of the batch
        assertThatThrownBy(() -> TokenBucketScript.parseBatch(List.of(1L, "59", 0L, 1_000_000L), calls))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("batch of 2 requests");
    }
}
