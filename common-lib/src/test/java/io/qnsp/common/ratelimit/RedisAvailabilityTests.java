package io.qnsp.common.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RedisAvailabilityTests {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void afterAFailureSkipsRedisForTheIntervalThenLetsOneCallerProbe() {
        RedisAvailability availability = new RedisAvailability(Duration.ofSeconds(1));
        assertThat(availability.shouldCall(0)).isTrue();

        assertThat(availability.recordFailure(0)).isTrue();
        assertThat(availability.recordFailure(0)).isFalse();
        assertThat(availability.isDown()).isTrue();
        assertThat(availability.shouldCall(SECOND / 2)).isFalse();
        assertThat(availability.shouldCall(SECOND - 1)).isFalse();

        assertThat(availability.shouldCall(SECOND)).isTrue();
        // the probe is in flight: everyone else keeps skipping
        assertThat(availability.shouldCall(SECOND)).isFalse();
        assertThat(availability.shouldCall(SECOND + SECOND / 2)).isFalse();

        availability.recordFailure(SECOND + SECOND / 2);
        assertThat(availability.shouldCall(2 * SECOND)).isFalse();
        assertThat(availability.shouldCall(2 * SECOND + SECOND / 2)).isTrue();

        assertThat(availability.recordSuccess(2 * SECOND + SECOND / 2)).isTrue();
        assertThat(availability.recordSuccess(2 * SECOND + SECOND / 2)).isFalse();
        assertThat(availability.shouldCall(2 * SECOND + SECOND / 2)).isTrue();
        assertThat(availability.shouldCall(2 * SECOND + SECOND / 2)).isTrue();
    }

    @Test
    void anAnswerToACallSentBeforeTheOutageBeganDoesNotEndIt() {
        RedisAvailability availability = new RedisAvailability(Duration.ofSeconds(1));
        // calls sent at 0.1 s and 0.2 s are in flight when the one sent at 0 s times out at 0.5 s
        assertThat(availability.recordFailure(SECOND / 2)).isTrue();
        assertThat(availability.recordSuccess(SECOND / 10)).isFalse();
        assertThat(availability.recordSuccess(SECOND / 5)).isFalse();
        assertThat(availability.isDown()).isTrue();
        assertThat(availability.shouldCall(SECOND)).isFalse();

        // the probe, sent after the outage began, ends it
        assertThat(availability.shouldCall(SECOND + SECOND / 2)).isTrue();
        assertThat(availability.recordSuccess(SECOND + SECOND / 2)).isTrue();
        assertThat(availability.isDown()).isFalse();
    }
}
