package io.qnsp.kms.key;

import com.fasterxml.jackson.annotation.JsonValue;

/** A key's life: only an enabled key performs operations; a deleted key's material is destroyed. */
public enum KeyState {
    ENABLED("enabled"), DISABLED("disabled"), PENDING_DELETION("pending_deletion"), DELETED("deleted");

    private final String apiName;

    KeyState(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    static KeyState fromApiName(String name) {
        for (KeyState state : values()) {
            if (state.apiName.equals(name)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown key state " + name);
    }
}
