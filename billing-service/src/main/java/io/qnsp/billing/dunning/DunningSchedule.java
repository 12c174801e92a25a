package io.qnsp.billing.dunning;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The steps that follow a failed payment of a tenant: the latest schedule the operator configured for it, or the
 * default one ({@code scheduleId}, {@code createdAt} and {@code createdBy} {@code null}).
 */
public record DunningSchedule(@Nullable UUID scheduleId, String tenantId, List<DunningStep> steps,
                              @Nullable Instant createdAt, @Nullable String createdBy) {

    public boolean isDefault() {
        return scheduleId == null;
    }
}
