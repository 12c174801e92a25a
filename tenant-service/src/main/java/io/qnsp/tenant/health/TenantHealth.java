package io.qnsp.tenant.health;

import io.qnsp.common.error.InvalidField;
import io.qnsp.tenant.TenantSettings;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Records health snapshots and answers a tenant's current health and its trend. */
@Service
public class TenantHealth {

    /** The periods a trend can cover, and the bucket each data point averages. */
    public enum Period {
        DAY("24h", Duration.ofHours(24), ChronoUnit.HOURS),
        WEEK("7d", Duration.ofDays(7), ChronoUnit.DAYS),
        MONTH("30d", Duration.ofDays(30), ChronoUnit.DAYS);

        private final String label;
        private final Duration span;
        private final ChronoUnit bucket;

        Period(String label, Duration span, ChronoUnit bucket) {
            this.label = label;
            this.span = span;
            this.bucket = bucket;
        }

        public String label() {
            return label;
        }

        public static Period parse(@Nullable String value) {
            if (value == null || value.isBlank()) {
                return WEEK;
            }
            for (Period period : values()) {
                if (period.label.equals(value.strip())) {
                    return period;
                }
            }
            throw new InvalidField("period", "must be one of 24h, 7d, 30d");
        }
    }

    /** One point of a trend: the mean score of the snapshots in a bucket. */
    public record DataPoint(Instant timestamp, double score, String status, int snapshots) {
    }

    private final HealthSnapshots snapshots;
    private final RequestLog requestLog;
    private final TenantSettings settings;
    private final Clock clock;

    TenantHealth(HealthSnapshots snapshots, RequestLog requestLog, TenantSettings settings, Clock clock) {
        this.snapshots = snapshots;
        this.requestLog = requestLog;
        this.settings = settings;
        this.clock = clock;
    }

    public record Recorded(UUID snapshotId, Instant recordedAt, HealthScore.Assessment assessment) {
    }

    @Transactional
    public Recorded record(String tenantId, String by, HealthScore.Reported reported) {
        require(reported.apiLatencyP99(), "metrics.apiLatencyP99", Double.MAX_VALUE);
        require(reported.errorRate(), "metrics.errorRate", 1);
        require(reported.activeUsers(), "metrics.activeUsers", Double.MAX_VALUE);
        require(reported.storageUsage(), "metrics.storageUsage", 100);
        Instant now = clock.instant();
        RequestLog.Observed observed = requestLog.recent(tenantId);
        HealthScore.Assessment assessment = HealthScore.assess(settings.health(), reported, observed);
        UUID id = UUID.randomUUID();
        snapshots.insert(id, tenantId, now, by, reported, observed, assessment);
        return new Recorded(id, now, assessment);
    }

    /** Now: the request log's window and the latest snapshot's reported metrics. */
    public HealthScore.Assessment current(String tenantId) {
        HealthScore.Reported reported = snapshots.latest(tenantId).map(s -> reported(s.reported())).orElse(null);
        return HealthScore.assess(settings.health(), reported, requestLog.recent(tenantId));
    }

    public List<DataPoint> trend(String tenantId, Period period) {
        Instant now = clock.instant();
        Map<Instant, List<HealthSnapshots.Snapshot>> buckets = new LinkedHashMap<>();
        for (HealthSnapshots.Snapshot snapshot : snapshots.between(tenantId, now.minus(period.span), now
                .plusMillis(1))) {
            buckets.computeIfAbsent(snapshot.recordedAt().truncatedTo(period.bucket), b -> new ArrayList<>())
                    .add(snapshot);
        }
        List<DataPoint> points = new ArrayList<>();
        buckets.forEach((bucket, inBucket) -> {
            double mean = inBucket.stream().mapToInt(HealthSnapshots.Snapshot::score).average().orElse(0);
            double rounded = Math.round(mean * 100) / 100.0;
            points.add(new DataPoint(bucket, rounded, HealthScore.statusOf(settings.health(), rounded),
                    inBucket.size()));
        });
        return points;
    }

    private static HealthScore.Reported reported(Map<String, Object> values) {
        return new HealthScore.Reported(number(values.get("apiLatencyP99")), number(values.get("errorRate")),
                number(values.get("activeUsers")), number(values.get("storageUsage")));
    }

    private static @Nullable Double number(@Nullable Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }

    private static void require(@Nullable Double value, String field, double max) {
        if (value == null) {
            return;
        }
        if (value.isNaN() || value < 0 || value > max) {
            throw new InvalidField(field, max == Double.MAX_VALUE ? "must be a number of at least 0"
                    : "must be a number from 0 to " + (long) max);
        }
    }
}
