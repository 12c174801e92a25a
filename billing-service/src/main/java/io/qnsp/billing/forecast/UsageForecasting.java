package io.qnsp.billing.forecast;

import io.qnsp.billing.account.Account;
import io.qnsp.billing.account.AccountManagement;
import io.qnsp.billing.pricing.PriceBook;
import io.qnsp.billing.pricing.Rate;
import io.qnsp.billing.usage.UsageHistory;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Forecasts a tenant's daily usage of each billable operation from its stored daily units with Holt's linear trend
 * method, and projects each operation's use of its plan's included units to the end of the billing period. Days are
 * UTC days; today, still under way, is never part of a fitted series.
 */
@Service
public class UsageForecasting {

    public static final String METHOD = "holt_linear_trend";

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final UsageHistory history;
    private final AccountManagement accounts;
    private final PriceBook prices;
    private final ForecastSettings settings;
    private final Clock clock;
    private final double z;

    UsageForecasting(UsageHistory history, AccountManagement accounts, PriceBook prices, ForecastSettings settings,
                     Clock clock) {
        this.history = history;
        this.accounts = accounts;
        this.prices = prices;
        this.settings = settings;
        this.clock = clock;
        double level = settings.intervalLevel().doubleValue();
        this.z = HoltLinearTrend.normalQuantile(0.5 + level / 2);
    }

    public ForecastSettings settings() {
        return settings;
    }

    /** A metric's fitted history, or why there is none. */
    private record History(String metric, LocalDate firstDay, int days, long lastDay,
                           HoltLinearTrend.@Nullable Fit fit) {
    }

    /** Forecasts of the daily units of every operation the tenant used within the history window. */
    public List<UsageForecast> usage(String tenantId, int horizonDays) {
        LocalDate yesterday = today().minusDays(1);
        List<UsageForecast> forecasts = new ArrayList<>();
        for (History h : histories(tenantId)) {
            LocalDate forecastDate = yesterday.plusDays(horizonDays);
            if (h.fit() == null) {
                forecasts.add(new UsageForecast(h.metric(), UsageForecast.INSUFFICIENT_HISTORY, h.lastDay(), null,
                        null, null, null, forecastDate, null, null, null, null, h.days(), tooLittle(h)));
                continue;
            }
            HoltLinearTrend.Fit fit = h.fit();
            double forecast = fit.forecast(horizonDays);
            double half = z * fit.forecastStdDev(horizonDays);
            double confidence = forecast > 0 ? Math.clamp(1 - half / forecast, 0, 1) : (half == 0 ? 1 : 0);
            forecasts.add(new UsageForecast(h.metric(), UsageForecast.FORECAST, h.lastDay(),
                    round(Math.max(0, forecast), 2), round(Math.max(0, forecast - half), 2),
                    round(Math.max(0, forecast + half), 2), round(confidence, 3), forecastDate,
                    round(fit.trend(), 4), round(fit.alpha(), 2), round(fit.betaStar(), 2),
                    round(fit.residualStdDev(), 4), h.days(), null));
        }
        return forecasts;
    }

    /** Each operation with included units in the tenant's plan that the tenant has used, against those units. */
    public List<CapacityForecast> capacity(String tenantId) {
        Account account = accounts.findOrDefault(tenantId);
        PriceBook.Plan plan = prices.plan(account.plan());
        LocalDate today = today();
        LocalDate periodStart = today.withDayOfMonth(1);
        LocalDate periodEnd = today.withDayOfMonth(today.lengthOfMonth());
        Map<String, TreeMap<LocalDate, Long>> thisPeriod = history.daily(tenantId, periodStart, today.plusDays(1));
        List<CapacityForecast> forecasts = new ArrayList<>();
        for (History h : histories(tenantId, history.firstUse(tenantId, LocalDate.of(1970, 1, 1)))) {
            Rate rate = plan.rates().get(h.metric());
            if (rate == null || rate.included() <= 0) {
                continue;
            }
            TreeMap<LocalDate, Long> days = thisPeriod.getOrDefault(h.metric(), new TreeMap<>());
            long used = days.values().stream().mapToLong(Long::longValue).sum();
            long usedBeforeToday = days.headMap(today).values().stream().mapToLong(Long::longValue).sum();
            Long projected = null;
            if (h.fit() != null) {
                int remaining = (int) ChronoUnit.DAYS.between(today, periodEnd) + 1;
                double expected = usedBeforeToday;
                for (int step = 1; step <= remaining; step++) {
                    expected += Math.max(0, h.fit().forecast(step));
                }
                projected = Math.max(used, Math.round(expected));
            }
            forecasts.add(capacity(plan, rate, used, projected, periodEnd, h));
        }
        return forecasts;
    }

    private CapacityForecast capacity(PriceBook.Plan plan, Rate rate, long used, @Nullable Long projected,
                                      LocalDate periodEnd, History h) {
        BigDecimal current = percent(used, rate.included());
        BigDecimal projectedShare = projected == null ? null : percent(projected, rate.included());
        String action;
        String message;
        if (used >= rate.included()) {
            action = "in_overage";
            message = "All " + rate.included() + " included units are used (" + used + "); each further unit costs "
                    + rate.unitPrice().toPlainString() + " " + prices.currency() + larger(plan, rate, projected, used);
        } else if (projected == null) {
            action = UsageForecast.INSUFFICIENT_HISTORY;
            message = tooLittle(h);
        } else if (projected >= rate.included()) {
            action = "expect_overage";
            message = "Expected to use " + projected + " of the " + rate.included() + " included units by "
                    + periodEnd + ": " + (projected - rate.included()) + " beyond them at "
                    + rate.unitPrice().toPlainString() + " " + prices.currency() + " each"
                    + larger(plan, rate, projected, used);
        } else if (projectedShare.compareTo(settings.monitorThresholdPercent()) >= 0) {
            action = "monitor";
            message = "Expected to use " + projectedShare.toPlainString() + "% of the included units by " + periodEnd;
        } else {
            action = "none";
            message = "Expected to stay within the included units by " + periodEnd;
        }
        BigDecimal overage = projected == null ? null : prices.charge(rate, projected);
        return new CapacityForecast(rate.operation(), rate.included(), used, projected, current, projectedShare,
                action, overage, prices.currency(), message);
    }

    /** The cheapest other plan including at least the units expected, if there is one. */
    private String larger(PriceBook.Plan current, Rate rate, @Nullable Long projected, long used) {
        long needed = projected == null ? used : projected;
        Optional<PriceBook.Plan> better = prices.plans().values().stream()
                .filter(p -> !p.name().equals(current.name()))
                .filter(p -> p.rates().containsKey(rate.operation())
                        && p.rates().get(rate.operation()).included() >= needed)
                .min(Comparator.comparing(PriceBook.Plan::monthlyFee));
        return better.map(p -> "; plan " + p.name() + " includes " + p.rates().get(rate.operation()).included())
                .orElse("");
    }

    private List<History> histories(String tenantId) {
        LocalDate windowStart = today().minusDays(settings.historyDays());
        return histories(tenantId, history.firstUse(tenantId, windowStart));
    }

    private List<History> histories(String tenantId, Map<String, LocalDate> firstUse) {
        LocalDate today = today();
        LocalDate yesterday = today.minusDays(1);
        LocalDate windowStart = today.minusDays(settings.historyDays());
        Map<String, TreeMap<LocalDate, Long>> daily = history.daily(tenantId, windowStart, today);
        List<History> histories = new ArrayList<>();
        firstUse.forEach((metric, first) -> {
            LocalDate start = first.isAfter(windowStart) ? first : windowStart;
            int days = start.isAfter(yesterday) ? 0 : (int) ChronoUnit.DAYS.between(start, yesterday) + 1;
            TreeMap<LocalDate, Long> units = daily.getOrDefault(metric, new TreeMap<>());
            long lastDay = units.getOrDefault(yesterday, 0L);
            HoltLinearTrend.Fit fit = null;
            if (days >= settings.minHistoryDays()) {
                double[] series = new double[days];
                for (int i = 0; i < days; i++) {
                    series[i] = units.getOrDefault(start.plusDays(i), 0L);
                }
                fit = HoltLinearTrend.fit(series);
            }
            histories.add(new History(metric, first, days, lastDay, fit));
        });
        return histories;
    }

    private String tooLittle(History h) {
        return "Too little history to forecast: " + h.days() + " complete day" + (h.days() == 1 ? "" : "s")
                + " of usage since the first use on " + h.firstDay() + "; a forecast needs "
                + settings.minHistoryDays();
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static BigDecimal percent(long units, long of) {
        return BigDecimal.valueOf(units).multiply(HUNDRED).divide(BigDecimal.valueOf(of), 2, RoundingMode.HALF_UP);
    }

    private static double round(double value, int places) {
        return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).doubleValue();
    }
}
