package io.qnsp.kms.analytics;

import io.qnsp.common.error.InvalidField;
import io.qnsp.kms.key.Key;
import io.qnsp.kms.key.KeyManagement;
import io.qnsp.kms.key.KeyNotFound;
import io.qnsp.kms.usage.KeyOperation;
import io.qnsp.kms.usage.KeyOperations;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Key usage analytics of a tenant, every figure computed from the operation log: usage over time, the applications
 * using keys, a key's summary; and the usage applications record themselves.
 */
@Service
public class UsageAnalytics {

    /** How many applications a key summary names. */
    static final int TOP_APPLICATIONS = 5;

    private final UsageStatistics statistics;
    private final KeyManagement keys;
    private final KeyOperations operations;
    private final Clock clock;

    UsageAnalytics(UsageStatistics statistics, KeyManagement keys, KeyOperations operations) {
        this.statistics = statistics;
        this.keys = keys;
        this.operations = operations;
        this.clock = Clock.systemUTC();
    }

    public record Usage(UsageQuery query, List<UsageBucket> buckets, UsageTotals totals) {
    }

    public record ApplicationUsage(String applicationId, String applicationName, long keysUsed, Instant lastAccessAt,
                                   OperationCounts operationCounts, long bytesProcessed, long errorCount) {
    }

    public record ApplicationCount(String applicationId, long count) {
    }

    public record KeySummary(Key key, long totalOperations, long totalBytesProcessed, long errorCount,
                             OperationCounts operationBreakdown, List<ApplicationCount> topApplications,
                             @Nullable Instant lastUsedAt) {
    }

    public Instant now() {
        return clock.instant();
    }

    /** @throws KeyNotFound when the query names a key the tenant never had */
    @Transactional(readOnly = true)
    public Usage usage(String tenantId, UsageQuery query) {
        if (query.keyId() != null && !statistics.knowsKey(tenantId, query.keyId())) {
            throw new KeyNotFound();
        }
        return new Usage(query, statistics.buckets(tenantId, query), statistics.totals(tenantId, query));
    }

    @Transactional(readOnly = true)
    public List<ApplicationUsage> applications(String tenantId, TimeRange range) {
        return statistics.applications(tenantId, range).stream()
                .map(a -> new ApplicationUsage(a.applicationId(), a.name() == null ? a.applicationId() : a.name(),
                        a.keysUsed(), a.lastAccessAt(), OperationCounts.of(a.counts()), a.bytesProcessed(),
                        a.errors()))
                .toList();
    }

    /** @throws KeyNotFound unless the tenant has the key */
    @Transactional(readOnly = true)
    public KeySummary keySummary(String tenantId, String keyId, TimeRange range) {
        Key key = keys.get(tenantId, keyId).key();
        UsageStatistics.KeyFigures figures = statistics.keyFigures(tenantId, key.keyId(), range);
        List<ApplicationCount> top = statistics.topApplications(tenantId, key.keyId(), range, TOP_APPLICATIONS)
                .stream().map(a -> new ApplicationCount(a.applicationId(), a.count())).toList();
        return new KeySummary(key, figures.operations(), figures.bytesProcessed(), figures.errors(),
                OperationCounts.of(figures.counts()), top, figures.lastUsedAt());
    }

    /** Counts a use an application reports, as a success at the time it is received. */
    @Transactional
    public Instant record(String tenantId, RecordedUsage usage) {
        Key key = keys.get(tenantId, usage.keyId().toString()).key();
        // as PostgreSQL keeps it, so that the time answered is the one the reports show
        Instant now = now().truncatedTo(ChronoUnit.MICROS);
        operations.record(new KeyOperation(tenantId, key.keyId(), null, key.algorithm().apiName(),
                usage.applicationId(), KeyOperation.RECORDED, usage.operation(), usage.bytesProcessed(), true, now));
        if (usage.applicationName() != null) {
            statistics.nameApplication(tenantId, usage.applicationId(), usage.applicationName(), now);
        }
        return now;
    }

    /**
     * The period of a report of totals: every operation before endTime (now) when startTime is left out.
     *
     * @throws io.qnsp.common.error.InvalidField naming startTime or endTime
     */
    public TimeRange range(@Nullable String startTime, @Nullable String endTime) {
        InvalidField.Problems problems = new InvalidField.Problems();
        TimeRange range = TimeRange.of(startTime, endTime, now(), null, problems);
        problems.throwIfAny();
        return range;
    }
}
