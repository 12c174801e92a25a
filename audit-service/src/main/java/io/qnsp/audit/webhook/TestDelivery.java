package io.qnsp.audit.webhook;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A test delivery to send.
 *
 * @param event   the event name to send as ({@code test.ping} when left out, or one of the catalogue's)
 * @param payload the JSON object sent as {@code data} ({@code {"test":true}} when left out)
 */
public record TestDelivery(@Nullable String event,
                           // any JSON object (not the JsonNode class's getters)
                           @Nullable @Schema(implementation = Object.class) JsonNode payload) {
}
