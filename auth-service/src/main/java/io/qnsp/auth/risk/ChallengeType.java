package io.qnsp.auth.risk;

import com.fasterxml.jackson.annotation.JsonValue;

/** The step-up a challenged login must pass, from the weakest to the strongest proof. */
public enum ChallengeType {

    CAPTCHA("captcha"),
    EMAIL_VERIFICATION("email_verification"),
    MFA("mfa");

    private final String value;

    ChallengeType(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** The stronger of the two proofs. */
    ChallengeType strongest(ChallengeType other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    static ChallengeType fromValue(String value) {
        for (ChallengeType type : values()) {
            if (type.value.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown challenge type " + value);
    }
}
