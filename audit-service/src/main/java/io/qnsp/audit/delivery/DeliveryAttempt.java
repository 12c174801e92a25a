package io.qnsp.audit.delivery;

import java.time.Instant;

/** One attempt of a delivery. */
public record DeliveryAttempt(int attempt, Instant attemptedAt, boolean succeeded, Integer statusCode,
                              long durationMs, String error) {
}
