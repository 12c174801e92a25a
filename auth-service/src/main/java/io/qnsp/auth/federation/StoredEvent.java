package io.qnsp.auth.federation;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code federation_audit_event}. */
record StoredEvent(UUID id, String tenantId, String eventType, String provider, String userId, Outcome outcome,
                   String metadataJson, String targetTenantId, Instant occurredAt, Instant recordedAt,
                   String recordedBy) {
}
