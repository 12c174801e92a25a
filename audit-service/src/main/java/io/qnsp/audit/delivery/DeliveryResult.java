package io.qnsp.audit.delivery;

/**
 * What one attempt achieved.
 *
 * @param statusCode the HTTP status a webhook target answered, {@code null} for other channels or no answer
 * @param error      why it failed, without secrets; {@code null} on success
 */
public record DeliveryResult(boolean succeeded, Integer statusCode, long durationMs, String error) {

    public static DeliveryResult success(Integer statusCode, long durationMs) {
        return new DeliveryResult(true, statusCode, durationMs, null);
    }

    public static DeliveryResult failure(Integer statusCode, long durationMs, String error) {
        return new DeliveryResult(false, statusCode, durationMs, error);
    }
}
