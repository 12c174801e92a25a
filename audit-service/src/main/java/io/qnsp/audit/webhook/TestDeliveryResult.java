package io.qnsp.audit.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * How a test delivery went. A target that answered an error or could not be reached is a {@code failed} delivery,
 * not an error of this API.
 *
 * @param status     {@code success} (the target answered 2xx) or {@code failed}
 * @param statusCode the target's HTTP status, {@code null} when it gave none
 * @param error      why it failed, {@code null} on success
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TestDeliveryResult(String deliveryId, String status, @Nullable Integer statusCode, long durationMs,
                                 @Nullable String error) {
}
