package io.qnsp.common.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Who did what to which resource, with what outcome. Never carries secrets: resource ids are ids, not keys.
 *
 * @param tenantId     the caller's tenant, {@code null} for platform-level operators
 * @param actor        the caller's principal (subject, client id or {@code admin-token})
 * @param action       what was attempted, e.g. {@code ratelimit.api_key.created}
 * @param resourceType the kind of resource, e.g. {@code api_key}
 * @param resourceId   the resource's id, may be {@code null} when none was created
 * @param outcome      {@code success}, {@code failure} or {@code denied}
 * @param requestId    the request's {@code X-Request-Id}
 * @param service      the publishing service
 * @param details      extra non-secret facts
 */
public record AuditEvent(UUID eventId, Instant occurredAt, String tenantId, String actor, String action,
                         String resourceType, String resourceId, String outcome, String requestId, String service,
                         Map<String, String> details) implements OutboxEvent {

    public static final String STREAM = "audit";

    public AuditEvent {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    @Override
    public String stream() {
        return STREAM;
    }
}
