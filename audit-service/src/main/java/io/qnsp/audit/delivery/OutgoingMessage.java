package io.qnsp.audit.delivery;

import java.time.Instant;

/**
 * One message as it is sent; the same on every attempt, so receivers can drop repeats by its id.
 *
 * @param id        the delivery id ({@code del_…}), the receiver's idempotency key
 * @param eventType the event's type, e.g. {@code key.created} or {@code audit_event}
 * @param createdAt when the delivery was queued
 * @param payload   the JSON body
 */
public record OutgoingMessage(String id, String eventType, Instant createdAt, String payload) {
}
