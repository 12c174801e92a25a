package io.qnsp.vault.leak;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * An incident's status. An incident opens {@code open}; it may move to {@code investigating}, and from either to
 * {@code resolved} or {@code false_positive}, which are final. Any other move is refused (409).
 */
public enum IncidentStatus {
    OPEN("open"), INVESTIGATING("investigating"), RESOLVED("resolved"), FALSE_POSITIVE("false_positive");

    private final String apiName;

    IncidentStatus(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    static IncidentStatus fromApiName(String name) {
        return Arrays.stream(values()).filter(s -> s.apiName.equals(name)).findFirst().orElse(null);
    }

    static List<String> apiNames() {
        return Arrays.stream(values()).map(IncidentStatus::apiName).toList();
    }

    boolean active() {
        return this == OPEN || this == INVESTIGATING;
    }

    Set<IncidentStatus> next() {
        return switch (this) {
            case OPEN -> Set.of(INVESTIGATING, RESOLVED, FALSE_POSITIVE);
            case INVESTIGATING -> Set.of(RESOLVED, FALSE_POSITIVE);
            case RESOLVED, FALSE_POSITIVE -> Set.of();
        };
    }
}
