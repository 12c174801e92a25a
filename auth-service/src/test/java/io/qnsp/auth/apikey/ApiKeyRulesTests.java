package io.qnsp.auth.apikey;

import io.qnsp.common.error.InvalidField;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyRulesTests {

    private static final Instant NOW = Instant.parse("2025-01-15T10:30:00Z");

    private final ApiKeySettings settings = new ApiKeySettings("live",
            new ApiKeySettings.RateLimitDefaults(100, 5000, 100000), Duration.ofDays(1), Duration.ofDays(30), 4096,
            Duration.ofSeconds(10), Duration.ofSeconds(5));
    private final ApiKeyRules rules = new ApiKeyRules(settings);

    @Test
    void namesAreTrimmedAndCountedInCharactersNotUtf16Units() {
        InvalidField.Problems problems = new InvalidField.Problems();

        assertThat(rules.name("  Production  ", true, problems)).isEqualTo("Production");
        assertThat(rules.name("🔑🔑🔑", true, problems)).isEqualTo("🔑🔑🔑");
        assertThat(rules.name("🔑".repeat(100), true, problems)).hasSize(200);
        assertThat(rules.name(null, false, problems)).isNull();
        problems.throwIfAny();
    }

    @Test
    void shortLongBlankAndControlCharacterNamesAreRefused() {
        for (String name : List.of("ab", "  a ", "🔑🔑", "x".repeat(101), "🔑".repeat(101), "bad\nname")) {
            InvalidField.Problems problems = new InvalidField.Problems();
            rules.name(name, true, problems);
            assertThatThrownBy(problems::throwIfAny).as(name).isInstanceOf(InvalidField.class)
                    .satisfies(e -> assertThat(((InvalidField) e).details()).containsEntry("field", "name"));
        }
        InvalidField.Problems required = new InvalidField.Problems();
        rules.name(null, true, required);
        assertThatThrownBy(required::throwIfAny).hasMessageContaining("name is required");
    }

    @Test
    void scopesAreKnownOnesEachOnceInOrder() {
        InvalidField.Problems problems = new InvalidField.Problems();

        assertThat(rules.scopes(List.of("write:keys", "read:keys", "write:keys"), true, problems))
                .containsExactly("write:keys", "read:keys");
        problems.throwIfAny();
    }

    @Test
    void unknownScopesAreListedWithTheAllowedOnes() {
        InvalidField.Problems problems = new InvalidField.Problems();
        rules.scopes(List.of("read:keys", "sudo", "Admin"), true, problems);

        assertThatThrownBy(problems::throwIfAny).isInstanceOfSatisfying(InvalidField.class, e -> {
            assertThat(e.details()).containsEntry("field", "scopes")
                    .containsEntry("unknownScopes", List.of("sudo", "Admin"))
                    .containsEntry("allowedScopes", ApiKeyScopes.KNOWN);
            assertThat(e.status().value()).isEqualTo(400);
        });
    }

    @Test
    void nullScopeElementsAreNamedByIndex() {
        InvalidField.Problems problems = new InvalidField.Problems();
        rules.scopes(Arrays.asList("read:keys", null), true, problems);

        assertThatThrownBy(problems::throwIfAny).isInstanceOfSatisfying(InvalidField.class,
                e -> assertThat(e.details()).containsEntry("field", "scopes[1]"));
    }

    @Test
    void missingRateLimitWindowsTakeTheBase() {
        InvalidField.Problems problems = new InvalidField.Problems();

        RateLimit limits = rules.rateLimit(new RateLimitRequest(500L, 25000L, null), rules.defaultRateLimit(),
                problems);

        problems.throwIfAny();
        assertThat(limits).isEqualTo(new RateLimit(500, 25000, 100000));
        assertThat(rules.rateLimit(null, rules.defaultRateLimit(), problems)).isEqualTo(new RateLimit(100, 5000,
                100000));
    }

    @Test
    void rateLimitWindowsMustBePositiveAndBounded() {
        InvalidField.Problems problems = new InvalidField.Problems();
        rules.rateLimit(new RateLimitRequest(0L, -1L, RateLimit.MAX + 1L), rules.defaultRateLimit(), problems);

        assertThatThrownBy(problems::throwIfAny).isInstanceOfSatisfying(InvalidField.class, e ->
                assertThat(e.details().get("fields").toString()).contains("rateLimit.requestsPerMinute",
                        "rateLimit.requestsPerHour", "rateLimit.requestsPerDay"));
    }

    @Test
    void expiryMustBeInTheFutureAndIsKeptInMicroseconds() {
        InvalidField.Problems problems = new InvalidField.Problems();

        assertThat(rules.expiresAt(NOW.plusNanos(1_500), NOW, problems)).isEqualTo(NOW.plusNanos(1_000));
        problems.throwIfAny();
        rules.expiresAt(NOW, NOW, problems);
        assertThatThrownBy(problems::throwIfAny).hasMessageContaining("expiresAt must be in the future");
    }

    @Test
    void flatMetadataIsStoredAsJsonInTheCallersOrder() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("team", "backend");
        metadata.put("cost", 3);
        metadata.put("tags", List.of("a", 1, true));
        metadata.put("owner", null);
        InvalidField.Problems problems = new InvalidField.Problems();

        String json = rules.metadata(metadata, problems);

        problems.throwIfAny();
        assertThat(json).isEqualTo("{\"team\":\"backend\",\"cost\":3,\"tags\":[\"a\",1,true],\"owner\":null}");
        assertThat(rules.metadata(null, problems)).isEqualTo("{}");
    }

    @Test
    void nestedOversizedOrCrowdedMetadataIsRefused() {
        assertMetadataRefused(Map.of("owner", Map.of("team", "x")), "metadata.owner");
        assertMetadataRefused(Map.of("matrix", List.of(List.of(1))), "metadata.matrix");
        assertMetadataRefused(Map.of("text", "x".repeat(1001)), "metadata.text");
        assertMetadataRefused(Map.of("k".repeat(65), "v"), "metadata");
        assertMetadataRefused(Map.of("", "v"), "metadata");
        Map<String, Object> crowded = new LinkedHashMap<>();
        for (int i = 0; i < 51; i++) {
            crowded.put("k" + i, i);
        }
        assertMetadataRefused(crowded, "metadata");
        Map<String, Object> big = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            big.put("k" + i, "v".repeat(900));
        }
        assertMetadataRefused(big, "metadata");
    }

    @Test
    void deprecationPeriodsDefaultAndAreBounded() {
        InvalidField.Problems problems = new InvalidField.Problems();

        assertThat(rules.deprecationPeriod(null, problems)).isEqualTo(Duration.ofDays(1));
        assertThat(rules.deprecationPeriod(0L, problems)).isZero();
        assertThat(rules.deprecationPeriod(30L * 86400, problems)).isEqualTo(Duration.ofDays(30));
        problems.throwIfAny();
        rules.deprecationPeriod(30L * 86400 + 1, problems);
        assertThatThrownBy(problems::throwIfAny).hasMessageContaining("deprecationPeriod");
    }

    private void assertMetadataRefused(Map<String, Object> metadata, String field) {
        InvalidField.Problems problems = new InvalidField.Problems();
        rules.metadata(metadata, problems);
        assertThatThrownBy(problems::throwIfAny).as("%s", metadata).isInstanceOfSatisfying(InvalidField.class,
                e -> assertThat(e.details()).containsEntry("field", field));
    }
}
