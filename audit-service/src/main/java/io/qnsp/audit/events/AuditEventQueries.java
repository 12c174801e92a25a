package io.qnsp.audit.events;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.UUID;

/**
 * The caller's stored audit events. A tenant's caller sees only that tenant's events; the platform operator (no
 * tenant) sees the platform-level events that belong to no tenant.
 */
@Service
public class AuditEventQueries {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final AuditEventRows rows;

    AuditEventQueries(AuditEventRows rows) {
        this.rows = rows;
    }

    public AuditEventPage list(Caller caller, String eventType, String service, String severity, String resourceId,
                               String since, String until, Integer limit, String cursor) {
        AuditEventQuery query = AuditEventQuery.parse(eventType, service, severity, resourceId, since, until);
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidField("limit", "must be between 1 and " + MAX_LIMIT);
        }
        Long before = parseCursor(cursor);
        List<StoredAuditEvent> events = rows.page(caller.tenantId(), query, before, size + 1);
        if (events.size() <= size) {
            return new AuditEventPage(events, null);
        }
        List<StoredAuditEvent> page = events.subList(0, size);
        return new AuditEventPage(List.copyOf(page), Long.toString(page.getLast().sequence()));
    }

    public StoredAuditEvent get(Caller caller, String eventId) {
        UUID id;
        try {
            id = UUID.fromString(eventId);
        } catch (IllegalArgumentException e) {
            throw new AuditEventNotFound();
        }
        return rows.find(caller.tenantId(), id).orElseThrow(AuditEventNotFound::new);
    }

    private static Long parseCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            long value = Long.parseLong(cursor.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidField("cursor", "must be the nextCursor of a previous page");
    }
}
