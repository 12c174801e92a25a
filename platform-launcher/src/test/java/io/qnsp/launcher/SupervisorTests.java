package io.qnsp.launcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SupervisorTests {

    @Test
    void aProcessThatKeepsStoppingWaitsTwiceAsLongEachTimeUpToHalfAMinute() {
        assertThat(IntStream.rangeClosed(1, 8).mapToObj(Supervisor::delay).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
        assertThat(Supervisor.delay(1_000)).isEqualTo(Duration.ofSeconds(30));
    }
}
