package io.qnsp.billing.account;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A tenant as billing knows it: its plan, whether it is served, and how it pays.
 *
 * @param status        {@code active}, {@code suspended} or {@code cancelled}
 * @param statusReason  why the status was last changed: {@code dunning}, {@code payment} or {@code operator};
 *                      {@code null} while it never changed
 * @param paymentMethod the provider's name of the tenant's payment method; {@code null} while none is set
 */
public record Account(String tenantId, String plan, String status, @Nullable String statusReason,
                      @Nullable Instant statusChangedAt, @Nullable String paymentMethod, Instant createdAt,
                      Instant updatedAt) {

    public static final String ACTIVE = "active";
    public static final String SUSPENDED = "suspended";
    public static final String CANCELLED = "cancelled";

    public boolean isActive() {
        return ACTIVE.equals(status);
    }
}
