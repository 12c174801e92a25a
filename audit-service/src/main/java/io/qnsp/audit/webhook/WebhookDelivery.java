package io.qnsp.audit.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * One delivery of a webhook and how it went so far.
 *
 * @param deliveryId     {@code del_} + ULID; also the {@code webhook-id} header of every attempt
 * @param event          the event name sent, e.g. {@code key.created}
 * @param eventId        the platform event delivered, {@code null} for a test delivery
 * @param status         {@code pending} (waiting for its first or next attempt), {@code success} or {@code failed}
 * @param attempts       attempts made so far
 * @param statusCode     the last attempt's HTTP status, if the target answered
 * @param durationMs     the last attempt's duration
 * @param error          the last failed attempt's reason
 * @param nextAttemptAt  when a pending delivery is tried next
 * @param completedAt    when it succeeded or was given up
 * @param attemptHistory every attempt, oldest first
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WebhookDelivery(String deliveryId, String event, @Nullable String eventId, String status, int attempts,
                              @Nullable Integer statusCode, @Nullable Long durationMs, @Nullable String error,
                              Instant createdAt, @Nullable Instant nextAttemptAt, @Nullable Instant completedAt,
                              List<Attempt> attemptHistory) {

    /** One attempt: {@code success} or {@code failed}, the target's status if it answered, and why it failed. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Attempt(int attempt, String status, @Nullable Integer statusCode, long durationMs,
                          @Nullable String error, Instant attemptedAt) {
    }
}
