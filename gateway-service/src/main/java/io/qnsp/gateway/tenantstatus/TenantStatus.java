package io.qnsp.gateway.tenantstatus;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A tenant's billing status as billing-service last published it.
 *
 * @param status {@code active}, {@code suspended} or {@code cancelled} (another value is kept but refuses nothing)
 * @param reason why it changed: {@code dunning}, {@code payment} or {@code operator}; {@code null} when not given
 * @param since  when the change happened at billing-service; {@code null} when the entry did not say
 */
public record TenantStatus(String status, @Nullable String reason, @Nullable Instant since) {

    public static final String ACTIVE = "active";
    public static final String SUSPENDED = "suspended";
    public static final String CANCELLED = "cancelled";

    /** Whether the tenant's calls are refused. */
    public boolean refuses() {
        return SUSPENDED.equals(status) || CANCELLED.equals(status);
    }

    /**
     * Whether this status, read after {@code earlier} in the stream, replaces it: unless both carry their time and
     * this one happened before. Entries of one tenant normally arrive in the order billing made the changes; the
     * time guards against the exceptions (two outbox relays publishing neighbouring events at once, an event
     * published again after a relay lost track of it).
     */
    boolean supersedes(TenantStatus earlier) {
        return since == null || earlier.since == null || !since.isBefore(earlier.since);
    }
}
