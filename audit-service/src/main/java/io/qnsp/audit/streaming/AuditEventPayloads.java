package io.qnsp.audit.streaming;

import io.qnsp.audit.events.StoredAuditEvent;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON an audit event travels as: the event itself (as {@code GET /v1/events} shows it) on SSE streams, Kafka
 * records and SQS messages; wrapped as {@code {"type":"audit_event","timestamp":…,"data":{…}}} for webhooks, the
 * Standard Webhooks payload shape.
 */
@Component
class AuditEventPayloads {

    static final String TYPE = "audit_event";

    private final JsonMapper json;

    AuditEventPayloads(JsonMapper json) {
        this.json = json;
    }

    String event(StoredAuditEvent event) {
        return json.writeValueAsString(event);
    }

    String webhook(StoredAuditEvent event) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", TYPE);
        payload.put("timestamp", event.timestamp());
        payload.put("data", event);
        return json.writeValueAsString(payload);
    }

    String forDestination(DestinationType type, StoredAuditEvent event) {
        return type == DestinationType.WEBHOOK ? webhook(event) : event(event);
    }
}
