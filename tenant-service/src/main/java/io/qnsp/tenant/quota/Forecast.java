package io.qnsp.tenant.quota;

import org.jspecify.annotations.Nullable;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;

/**
 * The forecast method (docs/tenant.md). The daily rate is the least-squares slope of the counter's daily samples in
 * the current window (counter value against day), or, with fewer than two sampled days, the counter's value divided
 * by the days the window has run (today counted). A negative slope counts as 0. The counter is then projected day by
 * day at that rate, restarting from 0 when a new window begins, as the quota control's counter does. The limit is
 * exceeded on the first day the projected counter is above it.
 *
 * @param dailyRate      units per day
 * @param projectedUsage the projected counter at the end of the last forecast day
 * @param exceedsLimitAt the first day the projection passes the limit within the forecast, {@code null} if none
 */
public record Forecast(long currentUsage, double dailyRate, long projectedUsage, @Nullable LocalDate exceedsLimitAt,
                       int samples) {

    /**
     * @param samples     the current window's samples, oldest first
     * @param windowStart the first day of the current window
     * @param windowOf    the window a day falls in
     */
    static Forecast project(long used, @Nullable Long limit, List<UsageHistory.Sample> samples, LocalDate today,
                            LocalDate windowStart, int days, Function<LocalDate, String> windowOf) {
        double rate = Math.max(0, rate(used, samples, today, windowStart));
        double counter = used;
        LocalDate exceeds = null;
        LocalDate day = today;
        for (int i = 1; i <= days; i++) {
            LocalDate next = day.plusDays(1);
            counter = windowOf.apply(next).equals(windowOf.apply(day)) ? counter + rate : rate;
            day = next;
            if (exceeds == null && limit != null && counter > limit) {
                exceeds = day;
            }
        }
        return new Forecast(used, Math.round(rate * 1000) / 1000.0, Math.round(counter), exceeds, samples.size());
    }

    static double rate(long used, List<UsageHistory.Sample> samples, LocalDate today, LocalDate windowStart) {
        if (samples.size() >= 2) {
            double n = samples.size();
            double meanX = samples.stream().mapToLong(s -> s.day().toEpochDay()).average().orElse(0);
            double meanY = samples.stream().mapToLong(UsageHistory.Sample::used).average().orElse(0);
            double covariance = 0;
            double variance = 0;
            for (UsageHistory.Sample sample : samples) {
                double dx = sample.day().toEpochDay() - meanX;
                covariance += dx * (sample.used() - meanY);
                variance += dx * dx;
            }
            return variance == 0 ? 0 : covariance / variance;
        }
        long daysRun = today.toEpochDay() - windowStart.toEpochDay() + 1;
        return used / (double) Math.max(1, daysRun);
    }
}
