package io.qnsp.tenant.quota;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The forecast method on its own: the least-squares rate, its fallbacks, and windows restarting the counter. */
class ForecastTests {

    static final LocalDate FIRST = LocalDate.parse("2031-06-01");

    static String month(LocalDate day) {
        return day.toString().substring(0, 7);
    }

    static UsageHistory.Sample sample(int dayOfMonth, long used) {
        return new UsageHistory.Sample(FIRST.withDayOfMonth(dayOfMonth), "2031-06", used);
    }

    @Test
    void theRateIsTheLeastSquaresSlopeOfTheDailySamples() {
        // x = 1..4, y = 1, 3, 4, 8: slope = 11 / 5
        List<UsageHistory.Sample> samples = List.of(sample(1, 1), sample(2, 3), sample(3, 4), sample(4, 8));
        Forecast forecast = Forecast.project(8, 30L, samples, FIRST.withDayOfMonth(4), FIRST, 10, ForecastTests::month);
        assertThat(forecast.dailyRate()).isEqualTo(2.2);
        // 8 + 2.2 k > 30 first for k = 10 (30.0 is not above 30)
        assertThat(forecast.projectedUsage()).isEqualTo(30);
        assertThat(forecast.exceedsLimitAt()).isNull();
        Forecast longer = Forecast.project(8, 30L, samples, FIRST.withDayOfMonth(4), FIRST, 11,
                ForecastTests::month);
        assertThat(longer.exceedsLimitAt()).isEqualTo(LocalDate.parse("2031-06-15"));
    }

    @Test
    void aFallingCounterProjectsNoGrowth() {
        List<UsageHistory.Sample> samples = List.of(sample(1, 9), sample(2, 5), sample(3, 4));
        Forecast forecast = Forecast.project(4, 5L, samples, FIRST.withDayOfMonth(3), FIRST, 20, ForecastTests::month);
        assertThat(forecast.dailyRate()).isZero();
        assertThat(forecast.projectedUsage()).isEqualTo(4);
        assertThat(forecast.exceedsLimitAt()).isNull();
    }

    @Test
    void withoutTwoSampledDaysTheRateIsTheWindowsAverageAndTheCounterRestartsEachWindow() {
        // 30 units in the window's first 10 days: 3 a day; June has 20 days left, then July starts from 0
        Forecast forecast = Forecast.project(30, null, List.of(sample(10, 30)), FIRST.withDayOfMonth(10), FIRST, 25,
                ForecastTests::month);
        assertThat(forecast.dailyRate()).isEqualTo(3.0);
        assertThat(forecast.projectedUsage()).isEqualTo(15);
        assertThat(forecast.exceedsLimitAt()).as("unlimited").isNull();
    }
}
