package io.qnsp.audit.streaming;

/** Changes to a subscription; fields left out stay as they are. The destination cannot be changed. */
public record SubscriptionUpdate(String name, SubscriptionRequest.Filters filters, String status) {
}
