package io.qnsp.securitymonitoring.playbook;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * The conditions beyond the event type: the event's outcome and resource type, detail values it must carry, and how
 * many matching events for one subject within a window it takes (e.g. 3 failed uses of one API key in 5 minutes).
 * The subject is the event's {@code resource} (the default) or its {@code actor}: counting by actor (e.g. the API key
 * whose calls were refused) also makes the actor the run's target.
 */
public record TriggerFilters(@Nullable String outcome, @Nullable String resourceType, Map<String, String> details,
                             int minOccurrences, long windowSeconds, String subject) {

    public static final long DEFAULT_WINDOW_SECONDS = 300;
    public static final String RESOURCE = "resource";
    public static final String ACTOR = "actor";
    public static final java.util.List<String> SUBJECTS = java.util.List.of(RESOURCE, ACTOR);

    public TriggerFilters {
        details = details == null ? Map.of() : Map.copyOf(details);
        subject = subject == null ? RESOURCE : subject;
    }

    public TriggerFilters(@Nullable String outcome, @Nullable String resourceType, Map<String, String> details,
                          int minOccurrences, long windowSeconds) {
        this(outcome, resourceType, details, minOccurrences, windowSeconds, RESOURCE);
    }

    /** What the event is counted for and the run targets: its resource, or its actor. */
    public String subjectOf(io.qnsp.common.events.AuditEvent event) {
        String subject = ACTOR.equals(this.subject) ? event.actor() : event.resourceId();
        return subject == null ? "" : subject;
    }
}
