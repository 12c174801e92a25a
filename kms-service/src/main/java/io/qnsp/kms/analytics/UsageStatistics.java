package io.qnsp.kms.analytics;

import io.qnsp.kms.usage.OperationType;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The figures of the operation log ({@code key_operation}), always within one tenant and computed by PostgreSQL.
 * A count is of attempts (successes and failures), errors are the failures, and bytes are those of the successful
 * operations: data a failed operation was given was not processed.
 */
@Repository
class UsageStatistics {

    private final NamedParameterJdbcTemplate jdbc;

    UsageStatistics(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Operations of one application, across the tenant's keys. */
    record Application(String applicationId, @Nullable String name, long keysUsed, Instant lastAccessAt,
                       Map<OperationType, Long> counts, long bytesProcessed, long errors) {
    }

    record KeyFigures(long operations, long bytesProcessed, long errors, Map<OperationType, Long> counts,
                      @Nullable Instant lastUsedAt) {
    }

    record ApplicationCount(String applicationId, long count) {
    }

    private static final String FILTER = "tenant_id = :tenant AND occurred_at >= :start AND occurred_at < :end "
            + "AND (CAST(:key AS TEXT) IS NULL OR key_id = CAST(:key AS UUID)) "
            + "AND (CAST(:operation AS TEXT) IS NULL OR operation = :operation)";

    List<UsageBucket> buckets(String tenantId, UsageQuery query) {
        // date_trunc on the UTC wall clock, so that buckets start on UTC hours, days and (Monday) weeks
        return jdbc.query("SELECT date_trunc(:granularity, occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket, "
                        + "key_id, operation, count(*) AS operations, "
                        + "coalesce(sum(bytes_processed) FILTER (WHERE outcome = 'success'), 0) AS bytes, "
                        + "count(*) FILTER (WHERE outcome = 'failure') AS errors "
                        + "FROM key_operation WHERE " + FILTER + " GROUP BY 1, key_id, operation "
                        + "ORDER BY 1, key_id, operation",
                filter(tenantId, query).addValue("granularity", query.granularity().apiName()),
                (rs, row) -> new UsageBucket(rs.getTimestamp("bucket").toInstant(), rs.getObject("key_id", UUID.class),
                        OperationType.fromApiName(rs.getString("operation")), rs.getLong("operations"),
                        rs.getLong("bytes"), rs.getLong("errors")));
    }

    UsageTotals totals(String tenantId, UsageQuery query) {
        return jdbc.queryForObject("SELECT count(*) AS operations, "
                        + "coalesce(sum(bytes_processed) FILTER (WHERE outcome = 'success'), 0) AS bytes, "
                        + "count(*) FILTER (WHERE outcome = 'failure') AS errors, count(DISTINCT key_id) AS keys "
                        + "FROM key_operation WHERE " + FILTER, filter(tenantId, query),
                (rs, row) -> new UsageTotals(rs.getLong("operations"), rs.getLong("bytes"), rs.getLong("errors"),
                        rs.getLong("keys")));
    }

    /** Whether the tenant has (or had: the log outlives a key) a key of this id. */
    boolean knowsKey(String tenantId, UUID keyId) {
        Boolean known = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM kms_key WHERE tenant_id = :tenant "
                        + "AND key_id = :key) OR EXISTS (SELECT 1 FROM key_operation WHERE tenant_id = :tenant "
                        + "AND key_id = :key)",
                new MapSqlParameterSource("tenant", tenantId).addValue("key", keyId), Boolean.class);
        return Boolean.TRUE.equals(known);
    }

    /** The applications that used a key in the period, the most recently active first. */
    List<Application> applications(String tenantId, TimeRange range) {
        MapSqlParameterSource parameters = range(tenantId, range);
        Map<String, Map<OperationType, Long>> counts = new LinkedHashMap<>();
        jdbc.query("SELECT application_id, operation, count(*) AS operations FROM key_operation "
                + "WHERE tenant_id = :tenant AND occurred_at >= :start AND occurred_at < :end "
                + "GROUP BY application_id, operation", parameters, rs -> {
            counts.computeIfAbsent(rs.getString("application_id"), id -> new EnumMap<>(OperationType.class))
                    .put(OperationType.fromApiName(rs.getString("operation")), rs.getLong("operations"));
        });
        return jdbc.query("SELECT o.application_id, a.name, count(DISTINCT o.key_id) AS keys, "
                        + "max(o.occurred_at) AS last_access, "
                        + "coalesce(sum(o.bytes_processed) FILTER (WHERE o.outcome = 'success'), 0) AS bytes, "
                        + "count(*) FILTER (WHERE o.outcome = 'failure') AS errors "
                        + "FROM key_operation o LEFT JOIN usage_application a "
                        + "ON a.tenant_id = o.tenant_id AND a.application_id = o.application_id "
                        + "WHERE o.tenant_id = :tenant AND o.occurred_at >= :start AND o.occurred_at < :end "
                        + "GROUP BY o.application_id, a.name ORDER BY last_access DESC, o.application_id",
                parameters, (rs, row) -> new Application(rs.getString("application_id"), rs.getString("name"),
                        rs.getLong("keys"), rs.getTimestamp("last_access").toInstant(),
                        counts.getOrDefault(rs.getString("application_id"), Map.of()), rs.getLong("bytes"),
                        rs.getLong("errors")));
    }

    KeyFigures keyFigures(String tenantId, UUID keyId, TimeRange range) {
        MapSqlParameterSource parameters = range(tenantId, range).addValue("key", keyId);
        Map<OperationType, Long> counts = new EnumMap<>(OperationType.class);
        jdbc.query("SELECT operation, count(*) AS operations FROM key_operation WHERE tenant_id = :tenant "
                + "AND key_id = :key AND occurred_at >= :start AND occurred_at < :end GROUP BY operation",
                parameters, rs -> {
                    counts.put(OperationType.fromApiName(rs.getString("operation")), rs.getLong("operations"));
                });
        return jdbc.queryForObject("SELECT count(*) AS operations, "
                        + "coalesce(sum(bytes_processed) FILTER (WHERE outcome = 'success'), 0) AS bytes, "
                        + "count(*) FILTER (WHERE outcome = 'failure') AS errors, max(occurred_at) AS last_used "
                        + "FROM key_operation WHERE tenant_id = :tenant AND key_id = :key "
                        + "AND occurred_at >= :start AND occurred_at < :end", parameters,
                (rs, row) -> {
                    Timestamp lastUsed = rs.getTimestamp("last_used");
                    return new KeyFigures(rs.getLong("operations"), rs.getLong("bytes"), rs.getLong("errors"),
                            counts, lastUsed == null ? null : lastUsed.toInstant());
                });
    }

    /** The applications that used the key most, by operations, then by id. */
    List<ApplicationCount> topApplications(String tenantId, UUID keyId, TimeRange range, int limit) {
        return new ArrayList<>(jdbc.query("SELECT application_id, count(*) AS operations FROM key_operation "
                        + "WHERE tenant_id = :tenant AND key_id = :key AND occurred_at >= :start AND occurred_at < :end "
                        + "GROUP BY application_id ORDER BY operations DESC, application_id LIMIT :limit",
                range(tenantId, range).addValue("key", keyId).addValue("limit", limit),
                (rs, row) -> new ApplicationCount(rs.getString("application_id"), rs.getLong("operations"))));
    }

    void nameApplication(String tenantId, String applicationId, String name, Instant now) {
        jdbc.update("INSERT INTO usage_application (tenant_id, application_id, name, updated_at) "
                        + "VALUES (:tenant, :application, :name, :now) ON CONFLICT (tenant_id, application_id) "
                        + "DO UPDATE SET name = EXCLUDED.name, updated_at = EXCLUDED.updated_at",
                new MapSqlParameterSource("tenant", tenantId).addValue("application", applicationId)
                        .addValue("name", name).addValue("now", Timestamp.from(now)));
    }

    private static MapSqlParameterSource filter(String tenantId, UsageQuery query) {
        return range(tenantId, query.range()).addValue("key", query.keyId() == null ? null : query.keyId().toString(), Types.VARCHAR)
                .addValue("operation", query.operation() == null ? null : query.operation().apiName(), Types.VARCHAR);
    }

    private static MapSqlParameterSource range(String tenantId, TimeRange range) {
        return new MapSqlParameterSource("tenant", tenantId).addValue("start", Timestamp.from(range.start()))
                .addValue("end", Timestamp.from(range.end()));
    }
}
