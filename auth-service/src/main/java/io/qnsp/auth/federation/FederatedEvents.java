package io.qnsp.auth.federation;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The recorded identity-provider events, on PostgreSQL. Every read is scoped by the tenant that recorded them,
 * except cross-tenant activity, which is also visible (aggregated) to the tenant acted in.
 */
@Repository
class FederatedEvents {

    private static final String COLUMNS = "id, tenant_id, event_type, provider, user_id, outcome, metadata::text AS"
            + " metadata, target_tenant_id, occurred_at, recorded_at, recorded_by";

    private static final RowMapper<StoredEvent> ROW = (rs, n) -> new StoredEvent(rs.getObject("id", UUID.class),
            rs.getString("tenant_id"), rs.getString("event_type"), rs.getString("provider"), rs.getString("user_id"),
            Outcome.of(rs.getString("outcome")), rs.getString("metadata"), rs.getString("target_tenant_id"),
            rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
            rs.getObject("recorded_at", OffsetDateTime.class).toInstant(), rs.getString("recorded_by"));

    private final JdbcClient jdbc;

    FederatedEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(StoredEvent event) {
        jdbc.sql("INSERT INTO federation_audit_event (id, tenant_id, event_type, provider, user_id, outcome, metadata,"
                        + " target_tenant_id, occurred_at, recorded_at, recorded_by) VALUES (:id, :tenant, :type,"
                        + " :provider, :user, :outcome, CAST(:metadata AS jsonb), :target, :occurred, :recorded, :by)")
                .param("id", event.id())
                .param("tenant", event.tenantId())
                .param("type", event.eventType())
                .param("provider", event.provider())
                .param("user", event.userId())
                .param("outcome", event.outcome().value())
                .param("metadata", event.metadataJson())
                .param("target", event.targetTenantId())
                .param("occurred", utc(event.occurredAt()))
                .param("recorded", utc(event.recordedAt()))
                .param("by", event.recordedBy())
                .update();
    }

    /** Up to {@code max} events after {@code after} (exclusive, in the criteria's order), or from the start. */
    List<StoredEvent> page(String tenantId, EventCriteria criteria, QueryCursors.Position after, int max) {
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM federation_audit_event WHERE ");
        where(sql, params, tenantId, criteria);
        String direction = criteria.descending() ? "DESC" : "ASC";
        if (after != null) {
            // row comparison: the (tenant_id, occurred_at, id) index serves it, and ties on time are broken by id
            sql.append(" AND (occurred_at, id) ").append(criteria.descending() ? "<" : ">")
                    .append(" (:afterTime, :afterId)");
            params.put("afterTime", utc(after.occurredAt()));
            params.put("afterId", after.id());
        }
        sql.append(" ORDER BY occurred_at ").append(direction).append(", id ").append(direction).append(" LIMIT :max");
        params.put("max", max);
        return jdbc.sql(sql.toString()).params(params).query(ROW).list();
    }

    long count(String tenantId, EventCriteria criteria) {
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM federation_audit_event WHERE ");
        where(sql, params, tenantId, criteria);
        return jdbc.sql(sql.toString()).params(params).query(Long.class).single();
    }

    /** Events of the tenant in [start, end), for a report's estimate. */
    long countBetween(String tenantId, Instant start, Instant end) {
        return jdbc.sql("SELECT count(*) FROM federation_audit_event WHERE tenant_id = :tenant"
                        + " AND occurred_at >= :start AND occurred_at < :end")
                .param("tenant", tenantId).param("start", utc(start)).param("end", utc(end))
                .query(Long.class).single();
    }

    /**
     * Cross-tenant activity since {@code since} in which the tenant is the source or the target, per pair, the most
     * recent first; {@code others} (when not empty) restricts the tenant on the other side.
     */
    List<CrossTenantActivity> crossTenant(String tenantId, Instant since, Collection<String> others) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("tenant", tenantId);
        params.put("since", utc(since));
        String otherSide = "";
        if (!others.isEmpty()) {
            otherSide = " AND other IN (:others)";
            params.put("others", others);
        }
        String sql = "SELECT source, target, count(*) AS events, max(occurred_at) AS last_at FROM ("
                + " SELECT tenant_id AS source, target_tenant_id AS target, target_tenant_id AS other, occurred_at"
                + "   FROM federation_audit_event"
                + "  WHERE tenant_id = :tenant AND target_tenant_id IS NOT NULL AND occurred_at >= :since"
                + " UNION ALL"
                + " SELECT tenant_id, target_tenant_id, tenant_id, occurred_at"
                + "   FROM federation_audit_event"
                + "  WHERE target_tenant_id = :tenant AND occurred_at >= :since"
                + ") pairs WHERE true" + otherSide
                + " GROUP BY source, target ORDER BY last_at DESC, source, target";
        return jdbc.sql(sql).params(params).query((rs, n) -> new CrossTenantActivity(rs.getString("source"),
                rs.getString("target"), rs.getLong("events"),
                rs.getObject("last_at", OffsetDateTime.class).toInstant())).list();
    }

    private static void where(StringBuilder sql, Map<String, Object> params, String tenantId, EventCriteria criteria) {
        sql.append("tenant_id = :tenant");
        params.put("tenant", tenantId);
        if (criteria.start() != null) {
            sql.append(" AND occurred_at >= :start");
            params.put("start", utc(criteria.start()));
        }
        if (criteria.end() != null) {
            sql.append(" AND occurred_at < :end");
            params.put("end", utc(criteria.end()));
        }
        any(sql, params, "event_type", "eventTypes", criteria.eventTypes());
        any(sql, params, "provider", "providers", criteria.providers());
        any(sql, params, "user_id", "userIds", criteria.userIds());
    }

    private static void any(StringBuilder sql, Map<String, Object> params, String column, String name,
                            List<String> values) {
        if (!values.isEmpty()) {
            sql.append(" AND ").append(column).append(" IN (:").append(name).append(")");
            params.put(name, values);
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
