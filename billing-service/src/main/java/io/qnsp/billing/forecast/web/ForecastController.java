package io.qnsp.billing.forecast.web;

import io.qnsp.billing.BillingScopes;
import io.qnsp.billing.account.TenantVisibility;
import io.qnsp.billing.forecast.CapacityForecast;
import io.qnsp.billing.forecast.UsageForecast;
import io.qnsp.billing.forecast.UsageForecasting;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.util.List;

/**
 * Usage and capacity forecasts of a tenant, from its stored daily usage. Another tenant answers 404 unless the caller
 * is the platform operator.
 */
@Tag(name = "Forecasting")
@RestController
@RequestMapping("/billing/v1/forecasting")
class ForecastController {

    record Interval(@Schema(description = "never below 0") double lower, double upper,
                    @Schema(description = "the interval's coverage, e.g. 0.95") double level) {
    }

    record Forecast(@Schema(description = "the billable operation") String metric,
                    @Schema(description = "units on the last complete UTC day") long currentValue,
                    @Schema(description = "units expected on forecastDate; null when the history is too short")
                    @Nullable Double forecastedValue,
                    @Schema(description = "0 to 1: one less the prediction interval's half-width relative to the "
                            + "forecast (0.9: the interval reaches 10% either side); null when the history is too "
                            + "short") @Nullable Double confidence,
                    @Schema(description = "YYYY-MM-DD") String forecastDate,
                    @Schema(allowableValues = {"forecast", "insufficient_history"}) String status,
                    @Schema(description = "the method: holt_linear_trend (double exponential smoothing fitted by "
                            + "least squares)") String method,
                    @Nullable Interval interval,
                    @Schema(description = "the fitted change of the daily units per day") @Nullable Double trendPerDay,
                    @Schema(description = "level smoothing fitted") @Nullable Double alpha,
                    @Schema(description = "trend smoothing fitted") @Nullable Double beta,
                    @Schema(description = "standard deviation of the one-step-ahead errors")
                    @Nullable Double residualStdDev,
                    @Schema(description = "days of history the forecast rests on") int historyDays,
                    @Schema(description = "why there is no forecast") @Nullable String message) {
    }

    record UsageForecasts(String tenantId, List<Forecast> forecasts, int horizonDays) {
    }

    record Capacity(@Schema(description = "the billable operation") String resource,
                    @Schema(description = "units used this billing period, in percent of the units the plan "
                            + "includes") BigDecimal currentUtilization,
                    @Schema(description = "units expected by the period's end, in percent of those included; null "
                            + "when the history is too short") @Nullable BigDecimal projectedUtilization,
                    @Schema(description = "none, monitor, expect_overage, in_overage or insufficient_history")
                    String recommendedAction,
                    long includedUnits, long usedUnits, @Nullable Long projectedUnits,
                    @Schema(description = "what the units beyond those included are expected to cost this period")
                    @Nullable BigDecimal projectedOverageCost, String currency, String message) {
    }

    record CapacityForecasts(String tenantId, List<Capacity> capacityForecasts, String method) {
    }

    private final UsageForecasting forecasting;
    private final TenantVisibility visibility;

    ForecastController(UsageForecasting forecasting, TenantVisibility visibility) {
        this.forecasting = forecasting;
        this.visibility = visibility;
    }

    @Operation(summary = "Get a tenant's usage forecast", operationId = "getUsageForecast",
            description = "For each billable operation the tenant used in the history window: the daily units "
                    + "expected horizonDays after the last complete day, by Holt's linear trend method fitted to the "
                    + "daily units, with a prediction interval and a confidence derived from the residuals. With "
                    + "too few days of history the forecast says so instead of giving a figure. Needs billing:read; "
                    + "another tenant is 404 unless the caller is the platform operator.")
    @GetMapping("/usage/{tenantId}")
    @RequiredControls(scopes = BillingScopes.READ, audit = "billing.usage_forecast.read", resourceType = "account",
            resourceId = "#tenantId")
    UsageForecasts usage(Caller caller, @PathVariable String tenantId,
                         @Parameter(description = "days ahead, 1 to the configured maximum (365); 30 by default")
                         @RequestParam(required = false) @Nullable Integer horizonDays) {
        visibility.requireVisible(caller, tenantId);
        int horizon = horizonDays == null ? forecasting.settings().defaultHorizonDays() : horizonDays;
        if (horizon < 1 || horizon > forecasting.settings().maxHorizonDays()) {
            throw new InvalidField("horizonDays", "must be between 1 and "
                    + forecasting.settings().maxHorizonDays());
        }
        double level = forecasting.settings().intervalLevel().doubleValue();
        return new UsageForecasts(tenantId, forecasting.usage(tenantId, horizon).stream()
                .map(f -> view(f, level)).toList(), horizon);
    }

    private static Forecast view(UsageForecast f, double level) {
        Interval interval = f.lower() == null ? null : new Interval(f.lower(), f.upper(), level);
        return new Forecast(f.metric(), f.currentValue(), f.forecastedValue(), f.confidence(),
                f.forecastDate().toString(), f.status(), UsageForecasting.METHOD, interval, f.trendPerDay(),
                f.alpha(), f.beta(), f.residualStdDev(), f.historyDays(), f.message());
    }

    @Operation(summary = "Get a tenant's capacity forecast", operationId = "getCapacityForecast",
            description = "For each billable operation whose units the tenant's plan includes (and that the tenant "
                    + "has used): the share of those units used this billing period and the share expected by its "
                    + "end (the days so far plus the usage forecast of the days left), with advice. Needs "
                    + "billing:read; another tenant is 404 unless the caller is the platform operator.")
    @GetMapping("/capacity/{tenantId}")
    @RequiredControls(scopes = BillingScopes.READ, audit = "billing.capacity_forecast.read", resourceType = "account",
            resourceId = "#tenantId")
    CapacityForecasts capacity(Caller caller, @PathVariable String tenantId) {
        visibility.requireVisible(caller, tenantId);
        List<CapacityForecast> forecasts = forecasting.capacity(tenantId);
        return new CapacityForecasts(tenantId, forecasts.stream().map(c -> new Capacity(c.resource(),
                c.currentUtilization(), c.projectedUtilization(), c.recommendedAction(), c.included(), c.used(),
                c.projectedUsage(), c.projectedOverage(), c.currency(), c.message())).toList(),
                UsageForecasting.METHOD);
    }
}
