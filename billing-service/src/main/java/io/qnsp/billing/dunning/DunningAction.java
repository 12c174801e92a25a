package io.qnsp.billing.dunning;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * A dunning step as executed.
 *
 * @param dueAt   the failure plus the step's days
 * @param outcome what it did, e.g. {@code notice_published}, {@code tenant_suspended}, {@code tenant_cancelled}
 */
public record DunningAction(UUID paymentId, int stepIndex, int dayAfterFailure, String action,
                            @Nullable String template, Instant dueAt, Instant executedAt, String outcome) {
}
