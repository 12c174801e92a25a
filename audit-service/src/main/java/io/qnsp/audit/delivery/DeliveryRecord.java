package io.qnsp.audit.delivery;

import java.time.Instant;

/**
 * A delivery and how it went so far.
 *
 * @param deliveryId    {@code del_} + ULID
 * @param eventId       the event delivered, {@code null} for a test delivery
 * @param attempts      attempts made
 * @param statusCode    the last attempt's HTTP status, if any
 * @param durationMs    the last attempt's duration
 * @param error         the last failed attempt's reason
 * @param nextAttemptAt when a pending delivery is tried next
 * @param completedAt   when it succeeded or was given up
 */
public record DeliveryRecord(String deliveryId, String eventId, String eventType, DeliveryStatus status,
                             int attempts, Integer statusCode, Long durationMs, String error, Instant createdAt,
                             Instant nextAttemptAt, Instant completedAt) {
}
