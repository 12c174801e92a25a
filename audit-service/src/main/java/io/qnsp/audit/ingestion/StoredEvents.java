package io.qnsp.audit.ingestion;

import io.qnsp.audit.events.AuditEventStored;
import io.qnsp.audit.events.Severity;
import io.qnsp.audit.events.StoredAuditEvent;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.RequestLogEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Writes consumed events into {@code audit_event} and {@code request_log}. Runs inside the consumer's transaction;
 * the primary key on the event id is a second guard against duplicates besides common-lib's consumed-event table.
 * A newly stored audit event is handed to every {@link AuditEventStored} in that same transaction.
 */
@Component
class StoredEvents {

    private static final String INSERT_AUDIT = """
            INSERT INTO audit_event (event_id, tenant_id, occurred_at, actor, action, resource_type, resource_id,
                                     outcome, request_id, service, details, severity)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
            ON CONFLICT (event_id) DO NOTHING
            RETURNING seq""";

    private static final String INSERT_REQUEST = """
            INSERT INTO request_log (event_id, tenant_id, occurred_at, method, path, status_code, duration_ms,
                                     key_id, ip_address, user_agent, rate_limited, request_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_id) DO NOTHING""";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final List<AuditEventStored> listeners;

    StoredEvents(JdbcTemplate jdbc, JsonMapper json, List<AuditEventStored> listeners) {
        this.jdbc = jdbc;
        this.json = json;
        this.listeners = List.copyOf(listeners);
    }

    void store(AuditEvent event) {
        requireId(event.eventId() != null, "audit event without eventId");
        String severity = Severity.of(event.outcome(), event.details()).label();
        Instant occurredAt = event.occurredAt() == null ? Instant.now() : event.occurredAt();
        String action = cut(event.action() == null ? "unknown" : event.action(), 200);
        List<Long> inserted = jdbc.queryForList(INSERT_AUDIT, Long.class, event.eventId(), cut(event.tenantId(), 200),
                Timestamp.from(occurredAt), cut(event.actor(), 500), action, cut(event.resourceType(), 200),
                cut(event.resourceId(), 500), cut(event.outcome(), 50), cut(event.requestId(), 200),
                cut(event.service(), 200), json.writeValueAsString(event.details()), severity);
        if (inserted.isEmpty()) {
            return;
        }
        StoredAuditEvent stored = new StoredAuditEvent(inserted.getFirst(), event.eventId(), action,
                cut(event.service(), 200), severity, cut(event.tenantId(), 200), cut(event.actor(), 500),
                cut(event.resourceType(), 200), cut(event.resourceId(), 500), cut(event.outcome(), 50),
                cut(event.requestId(), 200), occurredAt, event.details());
        listeners.forEach(listener -> listener.stored(stored));
    }

    void store(RequestLogEvent event) {
        requireId(event.eventId() != null, "request-log event without eventId");
        jdbc.update(INSERT_REQUEST, event.eventId(), cut(event.tenantId(), 200), time(event.timestamp()),
                cut(event.method() == null ? "UNKNOWN" : event.method(), 16),
                cut(event.path() == null ? "" : event.path(), 2048), event.statusCode(),
                Math.max(0, event.durationMs()), cut(event.keyId(), 200), cut(event.ipAddress(), 100),
                cut(event.userAgent(), 512), event.rateLimited(), cut(event.requestId(), 200));
    }

    private static void requireId(boolean present, String message) {
        if (!present) {
            throw new IllegalArgumentException(message);
        }
    }

    // A publisher's oversized value must not make the event fail forever and end in the dead-letter stream.
    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static Timestamp time(Instant instant) {
        return Timestamp.from(instant == null ? Instant.now() : instant);
    }
}
