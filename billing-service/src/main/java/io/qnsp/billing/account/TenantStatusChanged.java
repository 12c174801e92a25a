package io.qnsp.billing.account;

import io.qnsp.common.events.OutboxEvent;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's billing status changed: published on the {@code tenant-status} stream for the services that act on it
 * (the gateway refuses a suspended or cancelled tenant's calls).
 *
 * @param status         {@code active}, {@code suspended} or {@code cancelled}
 * @param previousStatus the status before
 * @param reason         {@code dunning} (a dunning schedule's suspend or cancel step), {@code payment} (an
 *                       outstanding payment succeeded) or {@code operator}
 * @param paymentId      the payment whose dunning or success caused it, when there is one
 */
public record TenantStatusChanged(UUID eventId, Instant occurredAt, String tenantId, String status,
                                  String previousStatus, String reason, @Nullable UUID paymentId,
                                  String service) implements OutboxEvent {

    public static final String STREAM = "tenant-status";

    @Override
    public String stream() {
        return STREAM;
    }
}
