package io.qnsp.billing.forecast;

import org.jspecify.annotations.Nullable;

import java.time.LocalDate;

/**
 * The forecast of one billable operation's daily units.
 *
 * @param status          {@code forecast}, or {@code insufficient_history} when too few days are stored
 * @param currentValue    the units of the last complete day
 * @param forecastedValue the units expected on {@code forecastDate} (never below 0)
 * @param lower           the prediction interval's lower end (never below 0)
 * @param upper           the prediction interval's upper end
 * @param confidence      0 to 1: one less the interval's half-width relative to the forecast
 * @param trendPerDay     the fitted change in daily units per day
 * @param historyDays     the days the forecast was fitted to (or that are stored, when too few)
 */
public record UsageForecast(String metric, String status, long currentValue, @Nullable Double forecastedValue,
                            @Nullable Double lower, @Nullable Double upper, @Nullable Double confidence,
                            LocalDate forecastDate, @Nullable Double trendPerDay, @Nullable Double alpha,
                            @Nullable Double beta, @Nullable Double residualStdDev, int historyDays,
                            @Nullable String message) {

    public static final String FORECAST = "forecast";
    public static final String INSUFFICIENT_HISTORY = "insufficient_history";
}
