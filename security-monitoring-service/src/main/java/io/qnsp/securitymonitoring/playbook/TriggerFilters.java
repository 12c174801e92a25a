package io.qnsp.securitymonitoring.playbook;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * The conditions beyond the event type: the event's outcome and resource type, detail values it must carry, and how
 * many matching events for one resource within a window it takes (e.g. 3 failed uses of one API key in 5 minutes).
 */
public record TriggerFilters(@Nullable String outcome, @Nullable String resourceType, Map<String, String> details,
                             int minOccurrences, long windowSeconds) {

    public static final long DEFAULT_WINDOW_SECONDS = 300;

    public TriggerFilters {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
