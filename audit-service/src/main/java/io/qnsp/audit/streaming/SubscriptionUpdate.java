package io.qnsp.audit.streaming;

import org.jspecify.annotations.Nullable;

/** Changes to a subscription; fields left out stay as they are. The destination cannot be changed. */
public record SubscriptionUpdate(@Nullable String name, SubscriptionRequest.@Nullable Filters filters,
                                 @Nullable String status) {
}
