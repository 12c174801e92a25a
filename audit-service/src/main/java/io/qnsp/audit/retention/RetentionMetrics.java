package io.qnsp.audit.retention;

/**
 * The stored events of an owner and what retention has removed of them.
 *
 * @param totalEvents      the owner's stored events (the platform's: all of them)
 * @param totalSizeBytes   their size as {@link RetainedEvents} measures it
 * @param byAge            the same events in disjoint buckets by {@code occurred_at}
 * @param retentionSavings what real (not dry) cleanups deleted of the owner's events
 */
public record RetentionMetrics(long totalEvents, long totalSizeBytes, ByAge byAge, Savings retentionSavings) {

    /**
     * Disjoint age buckets: under 7 days (and any event dated in the future), 7 to 30 days, 30 to 90 days, and
     * older; they add up to the total.
     */
    public record ByAge(long last7Days, long last30Days, long last90Days, long older) {
    }

    public record Savings(long eventsDeleted, long bytesReclaimed) {
    }
}
