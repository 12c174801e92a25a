package io.qnsp.billing.dunning;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A failed payment under dunning: the schedule in force when it first failed, counted from that moment, and the
 * steps executed so far.
 *
 * @param stopReason {@code paid} or {@code cancelled}; {@code null} while it runs
 */
public record DunningCase(UUID paymentId, String tenantId, @Nullable UUID scheduleId, List<DunningStep> steps,
                          Instant startedAt, @Nullable Instant stoppedAt, @Nullable String stopReason,
                          List<DunningAction> actions) {
}
