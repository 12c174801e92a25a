package io.qnsp.kms.agility;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an algorithm stands in the transition policy on a given day (see {@link AlgorithmPolicy}). */
public enum AlgorithmStatus {
    /** the algorithm new keys should use */
    RECOMMENDED("recommended"),
    /** approved today, with a date after which it is deprecated or disallowed */
    ACCEPTABLE("acceptable"),
    /** still allowed, but keys must be moving off it */
    DEPRECATED("deprecated"),
    /** disallowed: keys using it break the policy */
    FORBIDDEN("forbidden");

    private final String apiName;

    AlgorithmStatus(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }
}
