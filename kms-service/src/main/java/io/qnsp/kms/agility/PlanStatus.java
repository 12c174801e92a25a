package io.qnsp.kms.agility;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A migration plan's life: {@code draft → active ↔ paused}, then {@code completed} (from active or paused, once every
 * key in scope is migrated) or {@code cancelled} (from any open status). Completed and cancelled plans are closed.
 */
public enum PlanStatus {
    DRAFT("draft"), ACTIVE("active"), PAUSED("paused"), COMPLETED("completed"), CANCELLED("cancelled");

    private final String apiName;

    PlanStatus(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    /** The statuses this one may change to. */
    public Set<PlanStatus> next() {
        return switch (this) {
            case DRAFT -> Set.of(ACTIVE, CANCELLED);
            case ACTIVE -> Set.of(PAUSED, COMPLETED, CANCELLED);
            case PAUSED -> Set.of(ACTIVE, COMPLETED, CANCELLED);
            case COMPLETED, CANCELLED -> Set.of();
        };
    }

    public boolean closed() {
        return next().isEmpty();
    }

    static @Nullable PlanStatus fromApiName(String name) {
        for (PlanStatus status : values()) {
            if (status.apiName.equals(name)) {
                return status;
            }
        }
        return null;
    }

    static List<String> apiNames() {
        return Arrays.stream(values()).map(PlanStatus::apiName).toList();
    }
}
