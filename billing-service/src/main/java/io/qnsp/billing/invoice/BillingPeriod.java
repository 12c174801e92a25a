package io.qnsp.billing.invoice;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** A billing period: one calendar month in UTC, from its first instant up to (not including) the next month's. */
public record BillingPeriod(YearMonth month) {

    public static BillingPeriod of(Instant instant) {
        return new BillingPeriod(YearMonth.from(instant.atZone(ZoneOffset.UTC)));
    }

    public Instant start() {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Instant end() {
        return month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public BillingPeriod previous() {
        return new BillingPeriod(month.minusMonths(1));
    }

    public BillingPeriod next() {
        return new BillingPeriod(month.plusMonths(1));
    }

    /** {@code YYYY-MM}. */
    @Override
    public String toString() {
        return month.toString();
    }
}
