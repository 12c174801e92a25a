package io.qnsp.audit.events;

import java.util.Set;

/**
 * Which audit events a subscription wants: each non-empty set must contain the event's value; empty sets match
 * everything. Event types match exactly or, written with a trailing {@code *}, by prefix ({@code auth.api_key.*}).
 */
public record AuditEventFilter(Set<String> eventTypes, Set<String> services, Set<Severity> severities) {

    public static final AuditEventFilter ALL = new AuditEventFilter(Set.of(), Set.of(), Set.of());

    public AuditEventFilter {
        eventTypes = eventTypes == null ? Set.of() : Set.copyOf(eventTypes);
        services = services == null ? Set.of() : Set.copyOf(services);
        severities = severities == null ? Set.of() : Set.copyOf(severities);
    }

    public boolean matches(StoredAuditEvent event) {
        return matchesType(event.eventType())
                && (services.isEmpty() || services.contains(event.service()))
                && (severities.isEmpty() || Severity.parse(event.severity()).map(severities::contains).orElse(false));
    }

    private boolean matchesType(String type) {
        if (eventTypes.isEmpty()) {
            return true;
        }
        if (type == null) {
            return false;
        }
        for (String wanted : eventTypes) {
            if (wanted.endsWith("*") ? type.startsWith(wanted.substring(0, wanted.length() - 1)) : wanted.equals(type)) {
                return true;
            }
        }
        return false;
    }
}
