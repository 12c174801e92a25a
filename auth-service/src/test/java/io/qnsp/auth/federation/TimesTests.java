package io.qnsp.auth.federation;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimesTests {

    @Test
    void aDateTimeWithAnOffsetIsTruncatedToMicroseconds() {
        assertThat(Times.bound("startTime", "2025-01-31T12:00:00.123456789+02:00", false))
                .isEqualTo(Instant.parse("2025-01-31T10:00:00.123456Z"));
        assertThat(Times.instant("timestamp", "2025-01-31T12:00:00Z")).isEqualTo(Instant.parse("2025-01-31T12:00:00Z"));
    }

    @Test
    void aDateStartsAtItsUtcMidnightAndAsAnEndIncludesTheWholeDay() {
        assertThat(Times.bound("startDate", "2025-01-31", false)).isEqualTo(Instant.parse("2025-01-31T00:00:00Z"));
        assertThat(Times.bound("endDate", "2025-01-31", true)).isEqualTo(Instant.parse("2025-02-01T00:00:00Z"));
    }

    @Test
    void aMissingBoundIsOpen() {
        assertThat(Times.bound("startTime", null, false)).isNull();
        assertThat(Times.bound("startTime", " ", false)).isNull();
    }

    @Test
    void unreadableOrUnsupportedTimesNameTheirField() {
        for (String text : new String[] {"yesterday", "2025-01-31T12:00:00", "31/01/2025", "2025-02-30",
                "+200000-01-01T00:00:00Z", "-0001-01-01"}) {
            assertThatThrownBy(() -> Times.bound("startDate", text, false)).as(text)
                    .isInstanceOf(InvalidTime.class)
                    .satisfies(e -> assertThat(((InvalidTime) e).details()).containsEntry("field", "startDate"));
        }
        // a point in time needs its time and offset
        assertThatThrownBy(() -> Times.instant("timestamp", "2025-01-31")).isInstanceOf(InvalidTime.class);
    }
}
