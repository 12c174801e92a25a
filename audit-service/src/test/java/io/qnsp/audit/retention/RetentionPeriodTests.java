package io.qnsp.audit.retention;

import io.qnsp.common.error.InvalidField;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionPeriodTests {

    private static final Instant NOW = Instant.parse("2024-03-31T10:15:30Z");

    @Test
    void calendarPeriodsAreSubtractedInUtcCalendarArithmetic() {
        assertThat(RetentionPeriod.parse("P1M").cutoff(NOW)).isEqualTo(Instant.parse("2024-02-29T10:15:30Z"));
        assertThat(RetentionPeriod.parse("P1Y").cutoff(NOW)).isEqualTo(Instant.parse("2023-03-31T10:15:30Z"));
        assertThat(RetentionPeriod.parse("P90D").cutoff(NOW)).isEqualTo(Instant.parse("2024-01-01T10:15:30Z"));
        assertThat(RetentionPeriod.parse("P2W").cutoff(NOW)).isEqualTo(Instant.parse("2024-03-17T10:15:30Z"));
    }

    @Test
    void timePeriodsAreExactDurations() {
        assertThat(RetentionPeriod.parse("PT720H").cutoff(NOW)).isEqualTo(Instant.parse("2024-03-01T10:15:30Z"));
        assertThat(RetentionPeriod.parse("P1DT12H").cutoff(NOW)).isEqualTo(Instant.parse("2024-03-29T22:15:30Z"));
        assertThat(RetentionPeriod.parse("pt90m").text()).isEqualTo("PT90M");
    }

    @Test
    void theShortestSpanCountsMonthsAsTwentyEightDaysAndYearsAs365() {
        assertThat(RetentionPeriod.parse("P1Y2M3D").shortest()).isEqualTo(java.time.Duration.ofDays(365 + 56 + 3));
        assertThat(RetentionPeriod.parse("PT36H").shortest()).isEqualTo(java.time.Duration.ofHours(36));
    }

    @Test
    void hundredYearsIsTheLongestPeriod() {
        assertThat(RetentionPeriod.parse("P100Y").text()).isEqualTo("P100Y");
        assertThat(RetentionPeriod.parse("P36524D").text()).isEqualTo("P36524D");
        for (String tooLong : new String[] {"P101Y", "P1200M1D", "P100Y1D", "PT900000H", "P2147483647Y"}) {
            assertThatThrownBy(() -> RetentionPeriod.parse(tooLong)).as(tooLong).isInstanceOf(InvalidField.class)
                    .hasMessageContaining("retentionPeriod");
        }
    }
}
