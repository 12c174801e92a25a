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

        assertThat(availability.recordSuccess()).isTrue();
        assertThat(availability.recordSuccess()).isFalse();
        assertThat(availability.shouldCall(2 * SECOND + SECOND / 2)).isTrue();
        assertThat(availability.shouldCall(2 * SECOND + SECOND / 2)).isTrue();
    }
}
