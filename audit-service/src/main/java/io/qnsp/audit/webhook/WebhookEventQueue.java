package io.qnsp.audit.webhook;

import io.qnsp.audit.delivery.Deliveries;
import io.qnsp.audit.events.AuditEventStored;
import io.qnsp.audit.events.StoredAuditEvent;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns stored audit events into DataHub webhook events: an event of the catalogue (see {@link WebhookEvents}) is
 * queued, in the transaction that stored it, for every active webhook of its tenant subscribed to it (or to
 * {@code *}). The delivery worker sends them, signed, with retries.
 */
@Component
class WebhookEventQueue implements AuditEventStored {

    private final Webhooks webhooks;
    private final Deliveries deliveries;
    private final JsonMapper json;

    WebhookEventQueue(Webhooks webhooks, Deliveries deliveries, JsonMapper json) {
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.json = json;
    }

    @Override
    public void stored(StoredAuditEvent event) {
        WebhookEvents.of(event).ifPresent(type -> {
            List<String> subscribed = webhooks.subscribedTo(event.tenantId(), type);
            if (subscribed.isEmpty()) {
                return;
            }
            String payload = json.writeValueAsString(new WebhookPayload(type, event.timestamp(), data(event)));
            for (String webhookId : subscribed) {
                deliveries.enqueue(event.tenantId(), WebhookDestinations.KIND, webhookId, event.eventId(), type,
                        payload);
            }
        });
    }

    /** The event's facts a receiver may see: ids, who and when, and the publisher's (never secret) details. */
    private static Map<String, Object> data(StoredAuditEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keyId", event.resourceId());
        data.put("eventId", event.eventId().toString());
        data.put("actor", event.actor());
        data.put("occurredAt", event.timestamp().toString());
        data.put("requestId", event.requestId());
        data.put("details", event.details());
        return data;
    }
}
