package io.qnsp.vault.leak.detect;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;

/** How a rule's pattern is read: a regular expression, a keyword assignment, or a minimum entropy. */
public enum PatternType {
    REGEX("regex"), KEYWORD("keyword"), ENTROPY("entropy");

    private final String apiName;

    PatternType(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    /** The type so named, or {@code null}. */
    public static PatternType fromApiName(String name) {
        return Arrays.stream(values()).filter(t -> t.apiName.equals(name)).findFirst().orElse(null);
    }

    public static List<String> apiNames() {
        return Arrays.stream(values()).map(PatternType::apiName).toList();
    }
}
