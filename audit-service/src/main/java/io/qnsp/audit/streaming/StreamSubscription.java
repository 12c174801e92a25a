package io.qnsp.audit.streaming;

import io.qnsp.audit.events.AuditEventFilter;
import io.qnsp.audit.events.Severity;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A tenant's streaming subscription, as it may be shown: its destination's settings without any secret.
 *
 * @param tenantId          {@code null} for the platform operator's subscriptions to platform-level events
 * @param filters           the validated filter lists, in the order given, never {@code null}
 * @param destinationConfig the destination's settings that may be shown back (header values masked, no secrets)
 */
public record StreamSubscription(String subscriptionId, String tenantId, String name, SubscriptionStatus status,
                                 SubscriptionRequest.Filters filters, DestinationType destinationType,
                                 Map<String, Object> destinationConfig, Instant createdAt, Instant updatedAt) {

    /** The events this subscription wants. */
    public AuditEventFilter filter() {
        return filter(filters);
    }

    static AuditEventFilter filter(SubscriptionRequest.Filters filters) {
        return new AuditEventFilter(Set.copyOf(filters.eventTypes()), Set.copyOf(filters.services()),
                filters.severities().stream().map(s -> Severity.parse(s).orElseThrow()).collect(Collectors.toSet()));
    }
}
