package io.qnsp.vault.leak;

import io.qnsp.common.events.OutboxEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A scan opened a leak incident: published on the {@code vault.leak-incidents} stream with the notification channels
 * of the policies that found it, for whichever service delivers notifications. It carries the masked value only.
 */
public record LeakIncidentDetected(UUID eventId, Instant occurredAt, String tenantId, UUID incidentId,
                                   @Nullable String secretId, String severity, String source, String location,
                                   String maskedValue, UUID scanId, List<UUID> policyIds,
                                   List<String> notificationChannels) implements OutboxEvent {

    public static final String STREAM = "vault.leak-incidents";

    @Override
    public String stream() {
        return STREAM;
    }
}
