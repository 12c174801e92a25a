package io.qnsp.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One billable operation performed for a tenant, as named by the API reference's "Billable Operation".
 */
public record UsageEvent(UUID eventId, Instant occurredAt, String tenantId, String principal, String operation,
                         long quantity, String requestId, String service) implements OutboxEvent {

    public static final String STREAM = "usage";

    @Override
    public String stream() {
        return STREAM;
    }
}
