package io.qnsp.auth.federation;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/** One recorded event as a query returns it. */
public record EventView(UUID eventId, String eventType, String provider, String userId, Instant timestamp,
                        JsonNode metadata, Outcome outcome, @Nullable String targetTenantId,
                        Instant recordedAt) {
}
