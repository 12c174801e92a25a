package io.qnsp.audit.retention;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The stored audit events as retention sees them: those an owner's policy covers, and their sizes. A size is
 * PostgreSQL's {@code pg_column_size} of the whole row: the bytes of its stored data (compressed where PostgreSQL
 * compressed it), without the per-row header, page overhead and index entries.
 */
@Repository
class RetainedEvents {

    /** What a policy covers before a cutoff. Dates are {@code null} when it covers nothing. */
    record Extent(long events, Instant oldest, Instant newest, long sizeBytes) {
    }

    /** One archived event, written as one JSON line. */
    record ArchivedEvent(UUID eventId, String tenantId, Instant occurredAt, String actor, String action,
                         String resourceType, String resourceId, String outcome, String requestId, String service,
                         JsonNode details, Instant receivedAt) {
    }

    /** What a cleanup deleted of one tenant's events ({@code tenantId} {@code null}: events of no tenant). */
    record Reclaimed(String tenantId, long events, long bytes) {
    }

    /** Event counts by age: disjoint buckets, newest first. */
    record Ages(long total, long sizeBytes, long last7Days, long last30Days, long last90Days, long older) {
    }

    // Holds the ids a cleanup locked, so the archive and the delete see exactly the same rows; dropped at commit.
    private static final String SELECTION = "retention_selection";

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RetentionSettings settings;

    RetainedEvents(NamedParameterJdbcTemplate jdbc, JsonMapper json, RetentionSettings settings) {
        this.jdbc = jdbc;
        this.json = json;
        this.settings = settings;
    }

    Extent extent(RetentionOwner owner, PolicyScope scope, Instant cutoff) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String where = covered(owner, scope, cutoff, params);
        return jdbc.queryForObject("SELECT count(*) AS events, min(occurred_at) AS oldest, max(occurred_at) AS newest,"
                        + " coalesce(sum(pg_column_size(e.*)), 0) AS size FROM audit_event e WHERE " + where, params,
                (rs, row) -> new Extent(rs.getLong("events"), instant(rs.getTimestamp("oldest")),
                        instant(rs.getTimestamp("newest")), rs.getLong("size")));
    }

    /**
     * Locks the events a policy covers before the cutoff and remembers their ids for {@link #archive} and
     * {@link #deleteSelected}, within the caller's transaction. Returns how many were selected.
     */
    long select(RetentionOwner owner, PolicyScope scope, Instant cutoff) {
        JdbcTemplate plain = jdbc.getJdbcTemplate();
        plain.execute("CREATE TEMPORARY TABLE " + SELECTION + " (event_id uuid PRIMARY KEY) ON COMMIT DROP");
        MapSqlParameterSource params = new MapSqlParameterSource();
        String where = covered(owner, scope, cutoff, params);
        return jdbc.update("INSERT INTO " + SELECTION + " SELECT event_id FROM audit_event e WHERE " + where
                + " FOR UPDATE", params);
    }

    /** Streams the selected events to {@code sink}, oldest first, a batch of rows at a time. */
    void archive(Consumer<ArchivedEvent> sink) {
        JdbcTemplate streaming = new JdbcTemplate(jdbc.getJdbcTemplate().getDataSource());
        streaming.setFetchSize(settings.archiveFetchSize());
        streaming.query("SELECT e.* FROM audit_event e JOIN " + SELECTION + " s ON s.event_id = e.event_id"
                + " ORDER BY e.occurred_at, e.event_id", (RowCallbackHandler) rs -> {
            sink.accept(new ArchivedEvent(rs.getObject("event_id", UUID.class), rs.getString("tenant_id"),
                    instant(rs.getTimestamp("occurred_at")), rs.getString("actor"), rs.getString("action"),
                    rs.getString("resource_type"), rs.getString("resource_id"), rs.getString("outcome"),
                    rs.getString("request_id"), rs.getString("service"), json.readTree(rs.getString("details")),
                    instant(rs.getTimestamp("received_at"))));
        });
    }

    /** Deletes exactly the selected events; what went, per tenant. */
    List<Reclaimed> deleteSelected() {
        return jdbc.getJdbcTemplate().query("WITH gone AS (DELETE FROM audit_event e USING " + SELECTION
                        + " s WHERE e.event_id = s.event_id RETURNING e.tenant_id, pg_column_size(e.*) AS size)"
                        + " SELECT tenant_id, count(*) AS events, sum(size) AS bytes FROM gone GROUP BY tenant_id",
                (rs, row) -> new Reclaimed(rs.getString("tenant_id"), rs.getLong("events"), rs.getLong("bytes")));
    }

    Ages ages(RetentionOwner owner, Instant now) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("d7", Timestamp.from(now.minus(Duration.ofDays(7))))
                .addValue("d30", Timestamp.from(now.minus(Duration.ofDays(30))))
                .addValue("d90", Timestamp.from(now.minus(Duration.ofDays(90))));
        String where = "TRUE";
        if (!owner.platform()) {
            where = "tenant_id = :tenant";
            params.addValue("tenant", owner.tenantId());
        }
        return jdbc.queryForObject("""
                SELECT count(*) AS total, coalesce(sum(pg_column_size(e.*)), 0) AS size,
                       count(*) FILTER (WHERE occurred_at >= :d7) AS last7,
                       count(*) FILTER (WHERE occurred_at < :d7 AND occurred_at >= :d30) AS last30,
                       count(*) FILTER (WHERE occurred_at < :d30 AND occurred_at >= :d90) AS last90,
                       count(*) FILTER (WHERE occurred_at < :d90) AS older
                FROM audit_event e WHERE\s""" + where, params, (rs, row) -> new Ages(rs.getLong("total"),
                rs.getLong("size"), rs.getLong("last7"), rs.getLong("last30"), rs.getLong("last90"),
                rs.getLong("older")));
    }

    /** The events a policy covers: the owner's (every event for the platform), in scope, older than the cutoff. */
    private static String covered(RetentionOwner owner, PolicyScope scope, Instant cutoff,
                                  MapSqlParameterSource params) {
        StringBuilder where = new StringBuilder("occurred_at < :cutoff");
        params.addValue("cutoff", Timestamp.from(cutoff));
        if (!owner.platform()) {
            where.append(" AND tenant_id = :tenant");
            params.addValue("tenant", owner.tenantId(), Types.VARCHAR);
        }
        if (!scope.eventTypes().isEmpty()) {
            where.append(" AND action IN (:eventTypes)");
            params.addValue("eventTypes", scope.eventTypes());
        }
        if (!scope.services().isEmpty()) {
            where.append(" AND service IN (:services)");
            params.addValue("services", scope.services());
        }
        return where.toString();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
