package io.qnsp.audit.requestlog;

import java.time.Instant;
import java.util.List;

/**
 * Request statistics as spec 003 shows them. Successful means a status below 400, failed 400 and above (rate-limited
 * requests, answered 429, are failed requests too and also counted on their own).
 */
public record RequestStats(Summary summary, List<Point> timeSeries) {

    /** Totals over the whole filtered range; durations in milliseconds, rounded, 0 when there are no requests. */
    public record Summary(long totalRequests, long successfulRequests, long failedRequests, long rateLimitedRequests,
                          long avgDurationMs, long p95DurationMs) {
    }

    /**
     * One period that had requests, from its start. {@code rateLimited} (beyond spec 003's fields) counts the
     * period's rate-limited requests, so a chart can show their share over time.
     */
    public record Point(Instant timestamp, long requests, long errors, long avgDurationMs, long rateLimited) {
    }
}
