package io.qnsp.audit.streaming;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * A new streaming subscription as the caller sent it; {@link SubscriptionManagement} validates it.
 *
 * @param filters     which events; absent or empty lists match every event of the tenant
 * @param destination {@code type} ({@code webhook}, {@code kafka} or {@code sqs}) and its {@code config}
 */
public record SubscriptionRequest(String name, @Nullable Filters filters, DestinationSpec destination) {

    /**
     * Event types (exact, or a prefix ending in {@code *}), services and severities; each list ORs its values. In a
     * request a list may be left out; once validated, none is {@code null}.
     */
    public record Filters(@Nullable List<String> eventTypes, @Nullable List<String> services,
                          @Nullable List<String> severities) {
    }

    /**
     * @param type   {@code webhook}, {@code kafka} or {@code sqs}
     * @param config the settings of that type, each checked by name
     */
    @Schema(description = "type webhook, kafka or sqs; config holds the settings of that type: webhook {url, secret?, "
            + "headers?}; kafka {bootstrapServers (a comma-separated string or an array), topic, clientId?}; sqs "
            + "{queueUrl, region, endpoint?, accessKeyId, secretAccessKey, messageGroupId?}")
    public record DestinationSpec(String type,
                                  // a JSON object whose settings depend on the type (not the JsonNode class's getters)
                                  @Schema(implementation = Object.class) JsonNode config) {
    }
}
