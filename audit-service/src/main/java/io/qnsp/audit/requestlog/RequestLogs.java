package io.qnsp.audit.requestlog;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The stored request logs, always read within one tenant. */
@Repository
class RequestLogs {

    private static final String COLUMNS = "event_id, key_id, method, path, status_code, duration_ms, ip_address, "
            + "user_agent, rate_limited, occurred_at, request_id";

    /** The summary plus the first and last request time, which bound the time series. */
    record Totals(RequestStats.Summary summary, Instant first, Instant last) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    RequestLogs(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long count(String tenantId, RequestLogFilter filter) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String where = where(tenantId, filter, params);
        Long count = jdbc.queryForObject("SELECT count(*) FROM request_log WHERE " + where, params, Long.class);
        return count == null ? 0 : count;
    }

    List<RequestLogSummary> page(String tenantId, RequestLogFilter filter, int page, int pageSize) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String where = where(tenantId, filter, params);
        params.addValue("limit", pageSize).addValue("offset", (long) (page - 1) * pageSize);
        return jdbc.query("SELECT " + COLUMNS + " FROM request_log WHERE " + where
                        + " ORDER BY occurred_at DESC, event_id DESC LIMIT :limit OFFSET :offset", params,
                (rs, row) -> summary(rs));
    }

    Optional<RequestLogDetails> find(String tenantId, UUID eventId) {
        List<RequestLogDetails> found = jdbc.query("SELECT " + COLUMNS
                        + " FROM request_log WHERE tenant_id = :tenant AND event_id = :id",
                new MapSqlParameterSource("tenant", tenantId).addValue("id", eventId), DETAILS);
        return found.stream().findFirst();
    }

    Totals totals(String tenantId, RequestLogFilter filter) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String where = where(tenantId, filter, params);
        return jdbc.queryForObject("""
                SELECT count(*) AS total,
                       count(*) FILTER (WHERE status_code < 400) AS successful,
                       count(*) FILTER (WHERE status_code >= 400) AS failed,
                       count(*) FILTER (WHERE rate_limited) AS rate_limited,
                       coalesce(round(avg(duration_ms)), 0) AS avg_ms,
                       coalesce(round(percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)), 0) AS p95_ms,
                       min(occurred_at) AS first_at, max(occurred_at) AS last_at
                FROM request_log WHERE\s""" + where, params, (rs, row) -> new Totals(
                new RequestStats.Summary(rs.getLong("total"), rs.getLong("successful"), rs.getLong("failed"),
                        rs.getLong("rate_limited"), rs.getLong("avg_ms"), rs.getLong("p95_ms")),
                instant(rs.getTimestamp("first_at")), instant(rs.getTimestamp("last_at"))));
    }

    List<RequestStats.Point> series(String tenantId, RequestLogFilter filter, StatsPeriod period) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String where = where(tenantId, filter, params);
        // The unit is one of three constants, never caller text; buckets are cut in UTC.
        String bucket = "date_trunc('" + period.unit() + "', occurred_at AT TIME ZONE 'UTC')";
        return jdbc.query("SELECT " + bucket + " AS bucket, count(*) AS requests, "
                        + "count(*) FILTER (WHERE status_code >= 400) AS errors, round(avg(duration_ms)) AS avg_ms, "
                        + "count(*) FILTER (WHERE rate_limited) AS rate_limited "
                        + "FROM request_log WHERE " + where + " GROUP BY bucket ORDER BY bucket", params,
                (rs, row) -> new RequestStats.Point(
                        rs.getTimestamp("bucket").toLocalDateTime().toInstant(java.time.ZoneOffset.UTC),
                        rs.getLong("requests"), rs.getLong("errors"), rs.getLong("avg_ms"), rs.getLong("rate_limited")));
    }

    private static String where(String tenantId, RequestLogFilter filter, MapSqlParameterSource params) {
        StringBuilder where = new StringBuilder("tenant_id = :tenant");
        params.addValue("tenant", tenantId);
        if (filter.keyId() != null) {
            where.append(" AND key_id = :keyId");
            params.addValue("keyId", filter.keyId());
        }
        if (filter.method() != null) {
            where.append(" AND method = :method");
            params.addValue("method", filter.method());
        }
        if (filter.pathPrefix() != null) {
            // starts_with, not LIKE: '%' and '_' in the caller's prefix are plain characters.
            where.append(" AND starts_with(path, :path)");
            params.addValue("path", filter.pathPrefix());
        }
        if (filter.status() != null) {
            where.append(" AND status_code = :status");
            params.addValue("status", filter.status());
        }
        if (filter.rateLimited() != null) {
            where.append(" AND rate_limited = :rateLimited");
            params.addValue("rateLimited", filter.rateLimited());
        }
        if (filter.range().from() != null) {
            where.append(" AND occurred_at >= :from");
            params.addValue("from", Timestamp.from(filter.range().from()));
        }
        if (filter.range().until() != null) {
            where.append(" AND occurred_at < :until");
            params.addValue("until", Timestamp.from(filter.range().until()));
        }
        return where.toString();
    }

    private static RequestLogSummary summary(ResultSet rs) throws SQLException {
        return new RequestLogSummary(RequestLogIds.format(rs.getObject("event_id", UUID.class)),
                rs.getString("key_id"), rs.getString("method"), rs.getString("path"), rs.getInt("status_code"),
                rs.getLong("duration_ms"), rs.getString("ip_address"), rs.getBoolean("rate_limited"),
                instant(rs.getTimestamp("occurred_at")), rs.getString("request_id"));
    }

    private static final RowMapper<RequestLogDetails> DETAILS = (rs, row) -> new RequestLogDetails(
            RequestLogIds.format(rs.getObject("event_id", UUID.class)), rs.getString("key_id"),
            rs.getString("method"), rs.getString("path"), Map.of(), Map.of(), null, rs.getInt("status_code"), null,
            rs.getLong("duration_ms"), rs.getString("ip_address"), rs.getString("user_agent"),
            rs.getBoolean("rate_limited"), instant(rs.getTimestamp("occurred_at")), rs.getString("request_id"));

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
