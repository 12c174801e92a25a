package io.qnsp.audit.streaming;

import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * A new streaming subscription as the caller sent it; {@link SubscriptionManagement} validates it.
 *
 * @param filters     which events; absent or empty lists match every event of the tenant
 * @param destination {@code type} ({@code webhook}, {@code kafka} or {@code sqs}) and its {@code config}
 */
public record SubscriptionRequest(String name, Filters filters, DestinationSpec destination) {

    /** Event types (exact, or a prefix ending in {@code *}), services and severities; each list ORs its values. */
    public record Filters(List<String> eventTypes, List<String> services, List<String> severities) {
    }

    public record DestinationSpec(String type, JsonNode config) {
    }
}
