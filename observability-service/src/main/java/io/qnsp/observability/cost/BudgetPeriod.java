package io.qnsp.observability.cost;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The calendar periods (UTC) a budget is spent over. */
public enum BudgetPeriod {

    MONTHLY("monthly", 1),
    QUARTERLY("quarterly", 3),
    YEARLY("yearly", 12);

    public static final List<String> NAMES = Arrays.stream(values()).map(BudgetPeriod::label).toList();

    private final String label;
    private final int months;

    BudgetPeriod(String label, int months) {
        this.label = label;
        this.months = months;
    }

    public static Optional<BudgetPeriod> named(String label) {
        return Arrays.stream(values()).filter(p -> p.label.equals(label)).findFirst();
    }

    public String label() {
        return label;
    }

    /** The period of this kind that contains the instant: its start (inclusive) and end (exclusive). */
    public Span containing(Instant at) {
        LocalDate date = at.atZone(ZoneOffset.UTC).toLocalDate();
        int firstMonth = ((date.getMonthValue() - 1) / months) * months + 1;
        LocalDate start = LocalDate.of(date.getYear(), firstMonth, 1);
        return new Span(start.atStartOfDay().toInstant(ZoneOffset.UTC),
                start.plusMonths(months).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    /** A span of time, start inclusive, end exclusive. */
    public record Span(Instant start, Instant end) {

        public boolean contains(Instant at) {
            return !at.isBefore(start) && at.isBefore(end);
        }
    }
}
