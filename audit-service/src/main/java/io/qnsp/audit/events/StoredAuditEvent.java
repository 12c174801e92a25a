package io.qnsp.audit.events;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An audit event as audit-service stored it: the publisher's facts plus its position in the store. Ingestion keeps
 * what a publisher sent, so the facts it left out (service, actor, resource, outcome, request id) are {@code null}.
 *
 * @param sequence     the store's commit-ordered position; SSE event ids and {@code Last-Event-ID} are this number
 * @param eventId      the publisher's event id
 * @param eventType    what happened, the publisher's action (e.g. {@code auth.api_key.created})
 * @param service      the publishing service
 * @param severity     {@code info}, {@code warning}, {@code error} or {@code critical}
 * @param tenantId     the tenant the event belongs to, {@code null} for platform-level events
 * @param timestamp    when it happened, by the publisher's clock
 * @param details      the publisher's extra non-secret facts
 */
public record StoredAuditEvent(long sequence, UUID eventId, String eventType, @Nullable String service,
                               String severity, @Nullable String tenantId, @Nullable String actor,
                               @Nullable String resourceType, @Nullable String resourceId, @Nullable String outcome,
                               @Nullable String requestId, Instant timestamp, Map<String, String> details) {

    public StoredAuditEvent {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
