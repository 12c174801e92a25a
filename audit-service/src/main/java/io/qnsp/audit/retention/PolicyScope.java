package io.qnsp.audit.retention;

import io.qnsp.common.error.InvalidField;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which events a policy covers: those whose action is one of {@code eventTypes} and whose service is one of
 * {@code services}, compared exactly. An empty list puts no restriction on its field.
 */
public record PolicyScope(List<String> eventTypes, List<String> services) {

    static final int MAX_ENTRIES = 100;
    static final int MAX_LENGTH = 200;

    public PolicyScope {
        eventTypes = names(eventTypes, "scope.eventTypes");
        services = names(services, "scope.services");
    }

    /** Every event of the owner. */
    public static PolicyScope everything() {
        return new PolicyScope(List.of(), List.of());
    }

    private static List<String> names(List<String> values, String field) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_ENTRIES) {
            throw new InvalidField(field, "must name at most " + MAX_ENTRIES + " entries");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || value.isBlank()) {
                throw new InvalidField(field + "[" + i + "]", "must not be blank");
            }
            String name = value.strip();
            if (name.length() > MAX_LENGTH) {
                throw new InvalidField(field + "[" + i + "]", "must be at most " + MAX_LENGTH + " characters");
            }
            unique.add(name);
        }
        return List.copyOf(new ArrayList<>(unique));
    }
}
