package io.qnsp.tenant.quota;

import io.qnsp.common.controls.QuotaWindow;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import io.qnsp.tenant.TenantSettings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A tenant's quota usage from the quota control's counters, its daily history and forecasts over it. */
@Service
public class QuotaManagement {

    private static final Logger log = LoggerFactory.getLogger(QuotaManagement.class);
    static final int MAX_FORECAST_DAYS = 365;

    /** One quota of the tenant now; limit, remaining and percentage are null for an unlimited quota. */
    public record QuotaUsage(String quotaType, String quotaName, @Nullable Long limit, long used,
                             @Nullable Long remaining, @Nullable Double percentage, String window) {
    }

    public record QuotaForecast(String quotaType, long currentUsage, long projectedUsage,
                                @Nullable LocalDate exceedsLimitAt, @Nullable Long limit, double dailyRate,
                                int samples) {
    }

    private final QuotaCounters counters;
    private final UsageHistory history;
    private final TenantSettings settings;
    private final Clock clock;

    QuotaManagement(QuotaCounters counters, UsageHistory history, TenantSettings settings, Clock clock) {
        this.counters = counters;
        this.history = history;
        this.settings = settings;
        this.clock = clock;
    }

    /** The quota types shown to the caller: the platform's, then any other its plan or token limits. */
    Set<String> types(Caller caller) {
        Set<String> types = new LinkedHashSet<>(settings.quotaTypes().keySet());
        types.addAll(counters.limitedResources(caller));
        return types;
    }

    public List<QuotaUsage> current(Caller caller, String tenantId) {
        List<QuotaUsage> usage = new ArrayList<>();
        for (String type : types(caller)) {
            long used = sample(tenantId, type);
            Long limit = counters.limit(caller, type);
            Long remaining = limit == null ? null : Math.max(0, limit - used);
            Double percentage = limit == null ? null : limit == 0 ? (used > 0 ? 100.0 : 0.0)
                    : Math.round(used * 10000.0 / limit) / 100.0;
            usage.add(new QuotaUsage(type, settings.quotaTypes().getOrDefault(type, type), limit, used, remaining,
                    percentage, counters.currentWindow()));
        }
        return usage;
    }

    public List<QuotaForecast> forecast(Caller caller, String tenantId, @Nullable List<String> requested,
                                        @Nullable Integer forecastDays) {
        int days = forecastDays == null ? 30 : forecastDays;
        if (days < 1 || days > MAX_FORECAST_DAYS) {
            throw new InvalidField("forecastDays", "must be from 1 to " + MAX_FORECAST_DAYS);
        }
        Set<String> known = types(caller);
        List<String> types = new ArrayList<>();
        if (requested == null || requested.isEmpty()) {
            types.addAll(known);
        } else {
            for (int i = 0; i < requested.size(); i++) {
                String type = requested.get(i);
                if (type == null || !known.contains(type)) {
                    throw new InvalidField("quotaTypes[" + i + "]", "is not a quota type: one of " + known);
                }
                if (!types.contains(type)) {
                    types.add(type);
                }
            }
        }
        LocalDate today = today();
        LocalDate windowStart = windowStart(today);
        List<QuotaForecast> forecasts = new ArrayList<>();
        for (String type : types) {
            long used = sample(tenantId, type);
            String window = counters.currentWindow();
            List<UsageHistory.Sample> samples = history.since(tenantId, type,
                    today.minusDays(settings.usageHistoryDays() - 1L)).stream()
                    .filter(s -> s.window().equals(window)).toList();
            Long limit = counters.limit(caller, type);
            Forecast forecast = Forecast.project(used, limit, samples, today, windowStart, days,
                    day -> counters.windowOf(day.atStartOfDay(ZoneOffset.UTC).toInstant()));
            forecasts.add(new QuotaForecast(type, used, forecast.projectedUsage(), forecast.exceedsLimitAt(), limit,
                    forecast.dailyRate(), forecast.samples()));
        }
        return forecasts;
    }

    /** Samples every followed tenant's counters once a day, so the history has a point per day. */
    @Scheduled(cron = "0 55 23 * * *", zone = "UTC")
    void sampleFollowedTenants() {
        LocalDate from = today().minusDays(settings.usageHistoryDays());
        for (String tenant : history.tenantsSince(from)) {
            Set<String> types = new LinkedHashSet<>(settings.quotaTypes().keySet());
            types.addAll(history.typesSince(tenant, from));
            try {
                types.forEach(type -> sample(tenant, type));
            } catch (RuntimeException e) {
                log.warn("Could not sample the quota counters of tenant {}: {}", tenant, e.toString());
            }
        }
    }

    /** Reads the counter and records it as today's sample. */
    private long sample(String tenantId, String type) {
        long used = counters.used(tenantId, type);
        Instant now = clock.instant();
        history.record(tenantId, type, today(), counters.currentWindow(), used, now);
        return used;
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private LocalDate windowStart(LocalDate today) {
        return counters.window() == QuotaWindow.DAY ? today : today.withDayOfMonth(1);
    }
}
