package io.qnsp.auth.risk;

import com.fasterxml.jackson.annotation.JsonValue;

/** The kind of threat a reported signal describes. */
public enum SignalType {

    SUSPICIOUS_LOGIN("suspicious_login"),
    CREDENTIAL_STUFFING("credential_stuffing"),
    BRUTE_FORCE("brute_force"),
    IMPOSSIBLE_TRAVEL("impossible_travel"),
    NEW_DEVICE("new_device");

    private final String value;

    SignalType(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    static SignalType fromValue(String value) {
        for (SignalType type : values()) {
            if (type.value.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown signal type " + value);
    }
}
