package io.qnsp.audit.events;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads stored audit events by sequence: the live feed's catch-up and the query API. */
@Repository
public class AuditEventRows {

    private static final String COLUMNS = """
            seq, event_id, action, service, severity, tenant_id, actor, resource_type, resource_id, outcome,
            request_id, occurred_at, details::text AS details""";

    private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<StoredAuditEvent> mapper;

    AuditEventRows(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.mapper = (rs, row) -> new StoredAuditEvent(rs.getLong("seq"), rs.getObject("event_id", UUID.class),
                rs.getString("action"), rs.getString("service"), rs.getString("severity"), rs.getString("tenant_id"),
                rs.getString("actor"), rs.getString("resource_type"), rs.getString("resource_id"),
                rs.getString("outcome"), rs.getString("request_id"), rs.getTimestamp("occurred_at").toInstant(),
                readDetails(rs.getString("details")));
    }

    /** The highest sequence stored so far, 0 when none. */
    public long maxSequence() {
        Long max = jdbc.queryForObject("SELECT coalesce(max(seq), 0) FROM audit_event", Long.class);
        return max == null ? 0 : max;
    }

    /**
     * Events with {@code after < sequence <= upTo}, oldest first, at most {@code limit}.
     *
     * @param tenantId only this tenant's events; {@code null} for every tenant's
     */
    public List<StoredAuditEvent> between(long after, long upTo, String tenantId, int limit) {
        if (tenantId == null) {
            return jdbc.query("SELECT " + COLUMNS + " FROM audit_event WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                    mapper, after, upTo, limit);
        }
        return jdbc.query("SELECT " + COLUMNS
                        + " FROM audit_event WHERE seq > ? AND seq <= ? AND tenant_id = ? ORDER BY seq LIMIT ?",
                mapper, after, upTo, tenantId, limit);
    }

    /** Events with a sequence above {@code after}, oldest first, at most {@code limit}, any tenant. */
    public List<StoredAuditEvent> after(long after, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM audit_event WHERE seq > ? ORDER BY seq LIMIT ?", mapper, after,
                limit);
    }

    /**
     * A page of one tenant's events, newest first.
     *
     * @param before only events with a smaller sequence (the previous page's cursor), {@code null} for the newest
     */
    List<StoredAuditEvent> page(String tenantId, AuditEventQuery query, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_event WHERE ");
        List<Object> args = new ArrayList<>();
        if (tenantId == null) {
            sql.append("tenant_id IS NULL");
        } else {
            sql.append("tenant_id = ?");
            args.add(tenantId);
        }
        if (before != null) {
            sql.append(" AND seq < ?");
            args.add(before);
        }
        if (query.eventType() != null) {
            sql.append(" AND action = ?");
            args.add(query.eventType());
        }
        if (query.service() != null) {
            sql.append(" AND service = ?");
            args.add(query.service());
        }
        if (query.severity() != null) {
            sql.append(" AND severity = ?");
            args.add(query.severity().label());
        }
        if (query.resourceId() != null) {
            sql.append(" AND resource_id = ?");
            args.add(query.resourceId());
        }
        if (query.since() != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(Timestamp.from(query.since()));
        }
        if (query.until() != null) {
            sql.append(" AND occurred_at < ?");
            args.add(Timestamp.from(query.until()));
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), mapper, args.toArray());
    }

    Optional<StoredAuditEvent> find(String tenantId, UUID eventId) {
        List<StoredAuditEvent> found = tenantId == null
                ? jdbc.query("SELECT " + COLUMNS + " FROM audit_event WHERE event_id = ? AND tenant_id IS NULL",
                        mapper, eventId)
                : jdbc.query("SELECT " + COLUMNS + " FROM audit_event WHERE event_id = ? AND tenant_id = ?", mapper,
                        eventId, tenantId);
        return found.stream().findFirst();
    }

    private Map<String, String> readDetails(String text) {
        return text == null || text.isBlank() ? Map.of() : json.readValue(text, DETAILS);
    }
}
