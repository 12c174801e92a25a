package io.qnsp.vault.leak;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * One thing that happened to an incident: {@code created}, an {@code action} taken on detection with its result, a
 * {@code status_changed} with who changed it and their notes, or {@code seen_again} by a later scan.
 */
public record TimelineEntry(Instant at, String event, String actor, @Nullable String fromStatus,
                            @Nullable String toStatus, @Nullable String action, @Nullable String result,
                            @Nullable String notes, @Nullable UUID scanId) {

    static TimelineEntry created(Instant at, String actor, @Nullable String notes, @Nullable UUID scanId) {
        return new TimelineEntry(at, "created", actor, null, IncidentStatus.OPEN.apiName(), null, null, notes, scanId);
    }

    static TimelineEntry action(Instant at, String actor, String action, String result, UUID scanId) {
        return new TimelineEntry(at, "action", actor, null, null, action, result, null, scanId);
    }

    static TimelineEntry statusChanged(Instant at, String actor, IncidentStatus from, IncidentStatus to,
                                       @Nullable String notes) {
        return new TimelineEntry(at, "status_changed", actor, from.apiName(), to.apiName(), null, null, notes, null);
    }

    static TimelineEntry seenAgain(Instant at, String actor, String notes, UUID scanId) {
        return new TimelineEntry(at, "seen_again", actor, null, null, null, null, notes, scanId);
    }
}
