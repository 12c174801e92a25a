package io.qnsp.billing.forecast;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;

/**
 * Where a billable operation's use this billing period stands against the units the tenant's plan includes.
 *
 * @param currentUtilization   units used this period so far, as a percentage of the included units
 * @param projectedUtilization units expected by the period's end, as a percentage; {@code null} with too little
 *                             history
 * @param recommendedAction    {@code none}, {@code monitor}, {@code expect_overage}, {@code in_overage} or
 *                             {@code insufficient_history}
 * @param projectedOverage     what the units beyond those included are expected to cost by the period's end
 */
public record CapacityForecast(String resource, long included, long used, @Nullable Long projectedUsage,
                               BigDecimal currentUtilization, @Nullable BigDecimal projectedUtilization,
                               String recommendedAction, @Nullable BigDecimal projectedOverage, String currency,
                               String message) {
}
