package io.qnsp.search.analytics;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

/**
 * Figures over a tenant's recorded queries and clicks in a period: volume and latency, and the quality of the
 * ranking as the clicks show it.
 */
@Service
public class SearchAnalytics {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AnalyticsSettings settings;

    SearchAnalytics(JdbcClient jdbc, Clock clock, AnalyticsSettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    /** Queries, latency (mean and 99th percentile, in ms) and the share of queries that found nothing. */
    public record Metrics(Instant from, Instant to, long totalQueries, double averageLatencyMs, double p99LatencyMs,
                          double zeroResultsRate) {
    }

    /**
     * The quality of the results as the clicks show it, over the queries that found something.
     *
     * @param meanReciprocalRank  mean of 1 / position of the first clicked result (0 for a query without a click)
     * @param clickThroughRate    share of those queries with at least one click
     * @param satisfactionScore   share of those queries clicked and not reformulated (no further query of the same
     *                            caller within the reformulation window)
     * @param abandonmentRate     share of all queries, those that found nothing included, without any click
     */
    public record Quality(Instant from, Instant to, long queriesWithResults, long clickedQueries,
                          double meanReciprocalRank, double clickThroughRate, double satisfactionScore,
                          double abandonmentRate) {
    }

    public Instant now() {
        return clock.instant();
    }

    public Metrics metrics(String tenantId, Instant from) {
        Instant to = clock.instant();
        return jdbc.sql("SELECT count(*) AS total, coalesce(avg(latency_ms), 0) AS average, "
                        + "coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms), 0) AS p99, "
                        + "count(*) FILTER (WHERE result_count = 0) AS zero FROM search_query "
                        + "WHERE tenant_id = :tenant AND searched_at >= :from AND searched_at <= :to")
                .param("tenant", tenantId).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> {
                    long total = rs.getLong("total");
                    return new Metrics(from, to, total, rs.getDouble("average"), rs.getDouble("p99"),
                            total == 0 ? 0 : (double) rs.getLong("zero") / total);
                }).single();
    }

    public Quality quality(String tenantId, Instant from) {
        Instant to = clock.instant();
        return jdbc.sql("WITH q AS (SELECT query_id, principal, result_count, searched_at, "
                        + "lead(searched_at) OVER (PARTITION BY principal ORDER BY searched_at) AS next_at "
                        + "FROM search_query WHERE tenant_id = :tenant AND searched_at >= :from AND searched_at <= :to), "
                        + "c AS (SELECT query_id, min(position) AS first FROM search_click WHERE tenant_id = :tenant "
                        + "GROUP BY query_id) "
                        + "SELECT count(*) AS total, count(*) FILTER (WHERE q.result_count > 0) AS with_results, "
                        + "count(c.first) FILTER (WHERE q.result_count > 0) AS clicked, "
                        + "coalesce(sum(1.0 / c.first) FILTER (WHERE q.result_count > 0), 0) AS reciprocal, "
                        + "count(c.first) FILTER (WHERE q.result_count > 0 AND (q.next_at IS NULL OR q.next_at > "
                        + "q.searched_at + make_interval(secs => :window))) AS satisfied, "
                        + "count(*) FILTER (WHERE c.first IS NULL) AS abandoned "
                        + "FROM q LEFT JOIN c ON c.query_id = q.query_id")
                .param("tenant", tenantId).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .param("window", (double) settings.reformulationWindow().toMillis() / 1000.0)
                .query((rs, n) -> {
                    long total = rs.getLong("total");
                    long withResults = rs.getLong("with_results");
                    long clicked = rs.getLong("clicked");
                    return new Quality(from, to, withResults, clicked,
                            withResults == 0 ? 0 : rs.getDouble("reciprocal") / withResults,
                            withResults == 0 ? 0 : (double) clicked / withResults,
                            withResults == 0 ? 0 : (double) rs.getLong("satisfied") / withResults,
                            total == 0 ? 0 : (double) rs.getLong("abandoned") / total);
                }).single();
    }
}
