package io.qnsp.audit.streaming;

import io.qnsp.audit.delivery.Deliveries;
import io.qnsp.audit.delivery.DeliveryOwner;
import io.qnsp.audit.delivery.DeliveryResult;
import io.qnsp.audit.delivery.Destination;
import io.qnsp.audit.delivery.OutgoingMessage;
import io.qnsp.audit.events.AuditEventStored;
import io.qnsp.audit.events.StoredAuditEvent;
import org.springframework.stereotype.Component;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pushes audit events to subscriptions: queues a delivery for every active subscription of the event's tenant whose
 * filters match, in the transaction that stored the event (so a stored event is never without its deliveries), and
 * resolves a subscription's destination when the delivery is sent. The subscriptions are read per event rather than
 * cached, so one created or paused on any instance applies to the very next event.
 */
@Component
class SubscriptionDeliveries implements DeliveryOwner, AuditEventStored {

    static final String KIND = "audit-subscription";

    private final StreamSubscriptions subscriptions;
    private final SubscriptionDestinations destinations;
    private final Deliveries deliveries;
    private final AuditEventPayloads payloads;
    private final StreamingMetrics metrics;

    SubscriptionDeliveries(StreamSubscriptions subscriptions, SubscriptionDestinations destinations,
                           Deliveries deliveries, AuditEventPayloads payloads, StreamingMetrics metrics) {
        this.subscriptions = subscriptions;
        this.destinations = destinations;
        this.deliveries = deliveries;
        this.payloads = payloads;
        this.metrics = metrics;
    }

    @Override
    public void stored(StoredAuditEvent event) {
        Map<DestinationType, String> payloadByType = new EnumMap<>(DestinationType.class);
        for (StreamSubscriptions.Target target : subscriptions.activeTargets(event.tenantId())) {
            if (target.filter().matches(event)) {
                String payload = payloadByType.computeIfAbsent(target.type(),
                        type -> payloads.forDestination(type, event));
                deliveries.enqueue(event.tenantId(), KIND, target.subscriptionId(), event.eventId(),
                        event.eventType(), payload);
            }
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Optional<Destination> destination(String ownerId) {
        return subscriptions.activeDestination(ownerId)
                .map(stored -> destinations.open(stored.type(), stored.config(), stored.sealedSecrets()));
    }

    @Override
    public void attempted(String ownerId, OutgoingMessage message, DeliveryResult result) {
        if (result.succeeded()) {
            metrics.delivered(ownerId);
        }
    }
}
