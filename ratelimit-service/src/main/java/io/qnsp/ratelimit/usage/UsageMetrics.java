package io.qnsp.ratelimit.usage;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Reads a key's decision counts: stored minutes plus what this instance has not written yet. */
@Service
public class UsageMetrics {

    /** Totals over a key's life; {@code lastRequestAt} is null until the key is first checked. */
    public record Summary(long allowedCount, long throttledCount, @Nullable Instant lastRequestAt) {
    }

    /** One point of a time series: decisions in [timestamp, timestamp + granularity). */
    public record Point(Instant timestamp, long allowed, long throttled) {
    }

    /** Decisions in a range, in total and per step. */
    public record Series(long allowedCount, long throttledCount, List<Point> timeSeries) {
    }

    private final JdbcTemplate jdbc;
    private final UsageCounters counters;

    UsageMetrics(JdbcTemplate jdbc, UsageCounters counters) {
        this.jdbc = jdbc;
        this.counters = counters;
    }

    public Summary summary(UUID keyId) {
        Summary stored = jdbc.queryForObject("""
                SELECT COALESCE(SUM(allowed), 0), COALESCE(SUM(throttled), 0), MAX(last_request_at)
                FROM key_usage_minute WHERE key_id = ?
                """, (rs, row) -> {
            Timestamp last = rs.getTimestamp(3);
            return new Summary(rs.getLong(1), rs.getLong(2), last == null ? null : last.toInstant());
        }, keyId);
        long allowed = stored.allowedCount();
        long throttled = stored.throttledCount();
        Instant last = stored.lastRequestAt();
        for (UsageCounters.Counts counts : counters.unflushed(keyId).values()) {
            allowed += counts.allowed;
            throttled += counts.throttled;
            Instant pendingLast = Instant.ofEpochMilli(counts.lastRequestAtMillis);
            if (last == null || pendingLast.isAfter(last)) {
                last = pendingLast;
            }
        }
        return new Summary(allowed, throttled, last);
    }

    /**
     * Counts in steps of {@code step} (a whole number of minutes) covering [from, to), widened to whole steps;
     * every step is listed, with zeros where nothing happened.
     */
    public Series series(UUID keyId, Instant from, Instant to, Duration step) {
        long stepSeconds = step.toSeconds();
        Instant first = Instant.ofEpochSecond(Math.floorDiv(from.getEpochSecond(), stepSeconds) * stepSeconds);
        Instant end = Instant.ofEpochSecond(-Math.floorDiv(-to.getEpochSecond(), stepSeconds) * stepSeconds);
        Map<Instant, long[]> buckets = new TreeMap<>();
        for (Instant at = first; at.isBefore(end); at = at.plusSeconds(stepSeconds)) {
            buckets.put(at, new long[2]);
        }
        jdbc.query("""
                SELECT floor(extract(epoch FROM minute) / ?)::bigint * ? AS bucket, SUM(allowed), SUM(throttled)
                FROM key_usage_minute WHERE key_id = ? AND minute >= ? AND minute < ?
                GROUP BY bucket
                """, rs -> {
            long[] counts = buckets.get(Instant.ofEpochSecond(rs.getLong(1)));
            if (counts != null) {
                counts[0] += rs.getLong(2);
                counts[1] += rs.getLong(3);
            }
        }, stepSeconds, stepSeconds, keyId, Timestamp.from(first), Timestamp.from(end));
        counters.unflushed(keyId).forEach((epochMinute, counts) -> {
            Instant minute = Instant.ofEpochSecond(epochMinute * 60);
            if (!minute.isBefore(first) && minute.isBefore(end)) {
                long[] bucket = buckets.get(Instant.ofEpochSecond(Math.floorDiv(minute.getEpochSecond(), stepSeconds)
                        * stepSeconds));
                if (bucket != null) {
                    bucket[0] += counts.allowed;
                    bucket[1] += counts.throttled;
                }
            }
        });
        long allowed = 0;
        long throttled = 0;
        List<Point> points = new ArrayList<>(buckets.size());
        for (Map.Entry<Instant, long[]> bucket : buckets.entrySet()) {
            allowed += bucket.getValue()[0];
            throttled += bucket.getValue()[1];
            points.add(new Point(bucket.getKey(), bucket.getValue()[0], bucket.getValue()[1]));
        }
        return new Series(allowed, throttled, points);
    }
}
