package io.qnsp.billing.forecast;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.math.BigDecimal;

/**
 * Settings of usage and capacity forecasts.
 *
 * @param historyDays             the most days of daily usage a forecast is fitted to
 * @param minHistoryDays          below this many days since an operation was first used, no forecast is made
 * @param defaultHorizonDays      how far ahead a forecast looks unless the request says
 * @param maxHorizonDays          the farthest a request may ask
 * @param intervalLevel           the coverage of the prediction interval the confidence figure is derived from
 * @param monitorThresholdPercent above this projected share of a plan's included units, capacity advice is to watch
 */
@Validated
@ConfigurationProperties("qnsp.billing.forecast")
public record ForecastSettings(@DefaultValue("90") @Min(7) @Max(3660) int historyDays,
                               @DefaultValue("14") @Min(HoltLinearTrend.MIN_OBSERVATIONS) int minHistoryDays,
                               @DefaultValue("30") @Min(1) int defaultHorizonDays,
                               @DefaultValue("365") @Min(1) int maxHorizonDays,
                               @DefaultValue("0.95") BigDecimal intervalLevel,
                               @DefaultValue("80") BigDecimal monitorThresholdPercent) {

    public ForecastSettings {
        if (intervalLevel.compareTo(new BigDecimal("0.5")) < 0 || intervalLevel.compareTo(new BigDecimal("0.999")) > 0) {
            throw new IllegalArgumentException("qnsp.billing.forecast.interval-level must be between 0.5 and 0.999");
        }
        if (minHistoryDays > historyDays) {
            throw new IllegalArgumentException("qnsp.billing.forecast.min-history-days must not exceed history-days");
        }
        if (defaultHorizonDays > maxHorizonDays) {
            throw new IllegalArgumentException("qnsp.billing.forecast.default-horizon-days must not exceed "
                    + "max-horizon-days");
        }
    }
}
