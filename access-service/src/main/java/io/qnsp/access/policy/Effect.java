package io.qnsp.access.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/** What a matching policy says; a decision is one of these too (deny also being the default). */
public enum Effect {
    ALLOW("allow"), DENY("deny");

    private final String apiName;

    Effect(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    /** The effect spelled so, or {@code null}. */
    public static @Nullable Effect fromApiName(@Nullable String name) {
        for (Effect effect : values()) {
            if (effect.apiName.equals(name)) {
                return effect;
            }
        }
        return null;
    }
}
