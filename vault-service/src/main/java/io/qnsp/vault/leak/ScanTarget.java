package io.qnsp.vault.leak;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;

/**
 * Where leaks are looked for: git repositories by URL or path ({@code git}), and GitHub and GitLab through their
 * APIs. The spec's {@code pastebin} and {@code s3} are not supported: they are refused, naming these.
 */
public enum ScanTarget {
    GIT("git"), GITHUB("github"), GITLAB("gitlab");

    private final String apiName;

    ScanTarget(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    static ScanTarget fromApiName(String name) {
        return Arrays.stream(values()).filter(t -> t.apiName.equals(name)).findFirst().orElse(null);
    }

    static List<String> apiNames() {
        return Arrays.stream(values()).map(ScanTarget::apiName).toList();
    }

    boolean hosted() {
        return this != GIT;
    }
}
