package io.qnsp.billing.analytics;

import io.qnsp.billing.invoice.BillingPeriod;
import io.qnsp.billing.invoice.RevenueLedger;
import io.qnsp.billing.pricing.PriceBook;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Revenue from the invoices: a period's revenue (fees and usage less credits), MRR (the period's recurring charges:
 * plan fees and usage, before one-off credits), ARR (12 × MRR), growth of MRR against the period before, and the
 * usage revenue by the service that metered it.
 */
@Service
public class RevenueAnalytics {

    /** Plan fees appear under this name in the breakdown by service. */
    public static final String SUBSCRIPTIONS = "subscriptions";

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal TWELVE = BigDecimal.valueOf(12);

    public record Growth(@Nullable BigDecimal percentage, String direction, BigDecimal previousMrr) {
    }

    public record Summary(BillingPeriod period, BigDecimal totalRevenue, String currency, BigDecimal mrr,
                          BigDecimal arr, Growth growth, BigDecimal fees, BigDecimal usage, BigDecimal credits,
                          long invoices, boolean complete) {
    }

    public record ServiceRevenue(String service, BigDecimal revenue, BigDecimal percentage, String trend,
                                 BigDecimal previousRevenue, @Nullable BigDecimal changePercentage) {
    }

    public record Breakdown(BillingPeriod period, String currency, BigDecimal total, List<ServiceRevenue> byService) {
    }

    private final RevenueLedger ledger;
    private final PriceBook prices;
    private final RevenueSettings settings;
    private final Clock clock;

    RevenueAnalytics(RevenueLedger ledger, PriceBook prices, RevenueSettings settings, Clock clock) {
        this.ledger = ledger;
        this.prices = prices;
        this.settings = settings;
        this.clock = clock;
    }

    /** The last complete billing period. */
    public BillingPeriod defaultPeriod() {
        return BillingPeriod.of(clock.instant()).previous();
    }

    public BillingPeriod currentPeriod() {
        return BillingPeriod.of(clock.instant());
    }

    /** The period's revenue, of one tenant or ({@code null}) of all. */
    public Summary summary(@Nullable String tenantId, BillingPeriod period) {
        RevenueLedger.Totals now = ledger.totals(tenantId, period);
        RevenueLedger.Totals before = ledger.totals(tenantId, period.previous());
        BigDecimal mrr = prices.money(now.gross());
        BigDecimal previous = prices.money(before.gross());
        BigDecimal total = prices.money(now.gross().subtract(now.credits()));
        return new Summary(period, total, prices.currency(), mrr, prices.money(mrr.multiply(TWELVE)),
                growth(mrr, previous), prices.money(now.fees()), prices.money(now.usage()),
                prices.money(now.credits()), now.invoices(), !period.end().isAfter(clock.instant()));
    }

    /**
     * The period's charges by service: usage by the service that metered it, plan fees as {@value SUBSCRIPTIONS};
     * services that earned in the period before are listed too.
     */
    public Breakdown byService(@Nullable String tenantId, BillingPeriod period) {
        Map<String, BigDecimal> now = withFees(ledger.usageByService(tenantId, period),
                ledger.totals(tenantId, period).fees());
        Map<String, BigDecimal> before = withFees(ledger.usageByService(tenantId, period.previous()),
                ledger.totals(tenantId, period.previous()).fees());
        BigDecimal total = now.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        // a service that earned in the period before but not in this one is shown at 0, going down
        Set<String> services = new LinkedHashSet<>(now.keySet());
        services.addAll(before.keySet());
        List<ServiceRevenue> rows = new ArrayList<>();
        for (String service : services) {
            BigDecimal revenue = prices.money(now.getOrDefault(service, BigDecimal.ZERO));
            BigDecimal previous = prices.money(before.getOrDefault(service, BigDecimal.ZERO));
            BigDecimal share = total.signum() == 0 ? BigDecimal.ZERO.setScale(2)
                    : revenue.multiply(HUNDRED).divide(total, 2, RoundingMode.HALF_UP);
            Growth growth = growth(revenue, previous);
            String trend = previous.signum() == 0 && revenue.signum() > 0 ? "new" : growth.direction();
            rows.add(new ServiceRevenue(service, revenue, share, trend, previous, growth.percentage()));
        }
        rows.sort((a, b) -> {
            int byRevenue = b.revenue().compareTo(a.revenue());
            return byRevenue != 0 ? byRevenue : a.service().compareTo(b.service());
        });
        return new Breakdown(period, prices.currency(), prices.money(total), rows);
    }

    private static Map<String, BigDecimal> withFees(Map<String, BigDecimal> usage, BigDecimal fees) {
        if (fees.signum() > 0) {
            usage.merge(SUBSCRIPTIONS, fees, BigDecimal::add);
        }
        usage.values().removeIf(v -> v.signum() == 0);
        return usage;
    }

    /** The change from {@code previous}; no percentage when there was nothing before. */
    Growth growth(BigDecimal current, BigDecimal previous) {
        if (previous.signum() == 0) {
            return new Growth(current.signum() == 0 ? BigDecimal.ZERO.setScale(2) : null,
                    current.signum() > 0 ? "up" : "stable", previous);
        }
        BigDecimal percentage = current.subtract(previous).multiply(HUNDRED).divide(previous, 2, RoundingMode.HALF_UP);
        String direction = percentage.abs().compareTo(settings.stableBandPercent()) <= 0 ? "stable"
                : percentage.signum() > 0 ? "up" : "down";
        return new Growth(percentage, direction, previous);
    }
}
