package io.qnsp.vault.leak.detect;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The built-in rules: used by a policy that includes them (the default) and by a scan with no policy at all.
 * Each regex rule has literal keywords a line must contain before its expression is tried.
 */
public final class DefaultRules {

    public static final String AWS_ACCESS_KEY_ID = "aws-access-key-id";
    public static final String PRIVATE_KEY = "private-key";
    public static final String GITHUB_TOKEN = "github-token";
    public static final String GITHUB_FINE_GRAINED_TOKEN = "github-fine-grained-token";
    public static final String HIGH_ENTROPY_TOKEN = "high-entropy-token";

    static final String PRIVATE_KEY_END = "-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----";

    private static final List<Definition> DEFINITIONS = List.of(
            new Definition(AWS_ACCESS_KEY_ID, PatternType.REGEX,
                    "(?<![A-Za-z0-9])((?:AKIA|ASIA)[0-9A-Z]{16})(?![A-Za-z0-9])", Severity.CRITICAL),
            new Definition(PRIVATE_KEY, PatternType.REGEX, "-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----",
                    Severity.CRITICAL),
            new Definition(GITHUB_TOKEN, PatternType.REGEX,
                    "(?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36,255})(?![A-Za-z0-9_])", Severity.HIGH),
            new Definition(GITHUB_FINE_GRAINED_TOKEN, PatternType.REGEX,
                    "(?<![A-Za-z0-9_])(github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])", Severity.HIGH),
            new Definition(HIGH_ENTROPY_TOKEN, PatternType.ENTROPY, "4.5", Severity.MEDIUM));

    static final Map<String, List<String>> KEYWORDS = Map.of(
            AWS_ACCESS_KEY_ID, List.of("AKIA", "ASIA"),
            PRIVATE_KEY, List.of("PRIVATE KEY"),
            GITHUB_TOKEN, List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
            GITHUB_FINE_GRAINED_TOKEN, List.of("github_pat_"));

    private record Definition(String name, PatternType type, String pattern, Severity severity) {
    }

    private DefaultRules() {
    }

    /** The built-in rules, attributed to the policy that includes them ({@code null}: no policy). */
    public static List<Rule> rules(@Nullable UUID policyId) {
        return DEFINITIONS.stream().map(d -> new Rule(d.name(), d.type(), d.pattern(), d.severity(), policyId, true))
                .toList();
    }
}
