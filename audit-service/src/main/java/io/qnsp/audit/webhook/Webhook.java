package io.qnsp.audit.webhook;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tenant's webhook as stored, without its secret (which stays sealed in the store until a delivery is sent).
 *
 * @param id      {@code whk_} + ULID
 * @param events  subscribed event names from the catalogue, or {@code *}
 * @param headers extra headers sent with every delivery
 * @param active  whether events are delivered; an inactive webhook's pending deliveries are cancelled
 */
record Webhook(String id, String tenantId, String name, String url, List<String> events,
               Map<String, String> headers, boolean active, String createdBy, Instant createdAt,
               Instant updatedAt) {

    Webhook {
        events = List.copyOf(events);
        // sorted by name, so every answer shows them in the same order whatever order they were given in
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(headers));
    }
}
