package io.qnsp.audit.webhook;

import java.time.Instant;

/**
 * The body of every webhook delivery, in the Standard Webhooks shape: {@code type} (the event name),
 * {@code timestamp} (when the event happened, ISO-8601) and {@code data} (the event's facts).
 */
record WebhookPayload(String type, String timestamp, Object data) {

    WebhookPayload(String type, Instant timestamp, Object data) {
        this(type, timestamp.toString(), data);
    }
}
