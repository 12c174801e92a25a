package io.qnsp.vault.secret;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The life of a version: {@code active} when written, {@code deprecated} when it should no longer be used (still
 * readable), {@code destroyed} when its value is erased for good. Destroyed is final.
 */
public enum VersionState {

    ACTIVE("active"), DEPRECATED("deprecated"), DESTROYED("destroyed");

    private final String apiName;

    VersionState(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    static Optional<VersionState> fromApiName(String name) {
        return Arrays.stream(values()).filter(state -> state.apiName.equals(name)).findFirst();
    }

    /** The states a caller may move a version to. */
    static List<String> targets() {
        return List.of(DEPRECATED.apiName, DESTROYED.apiName);
    }

    /** Whether a version in this state may move to {@code target}: forward only, and never out of destroyed. */
    boolean canBecome(VersionState target) {
        return switch (this) {
            case ACTIVE -> target == DEPRECATED || target == DESTROYED;
            case DEPRECATED -> target == DESTROYED;
            case DESTROYED -> false;
        };
    }
}
