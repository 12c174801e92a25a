package io.qnsp.vault.leak;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;

/**
 * What a policy does when a detected value is one of the tenant's stored secret versions: {@code alert} only opens
 * the incident; {@code rotate} also writes a new version of the secret from the policy's generator when the leaked
 * version is the current one; {@code revoke} also deprecates the leaked version when it is active.
 */
public enum DetectionAction {
    ALERT("alert"), ROTATE("rotate"), REVOKE("revoke");

    private final String apiName;

    DetectionAction(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    static DetectionAction fromApiName(String name) {
        return Arrays.stream(values()).filter(a -> a.apiName.equals(name)).findFirst().orElse(null);
    }

    static List<String> apiNames() {
        return Arrays.stream(values()).map(DetectionAction::apiName).toList();
    }
}
