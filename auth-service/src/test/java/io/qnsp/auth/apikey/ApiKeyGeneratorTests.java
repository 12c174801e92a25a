package io.qnsp.auth.apikey;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyGeneratorTests {

    private final ApiKeyGenerator generator = new ApiKeyGenerator();

    @Test
    void keysHaveTheDataHubFormatAndDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = generator.newKey("live");
            assertThat(key).matches("dh_live_[0-9A-Za-z]{32}");
            assertThat(ApiKeyGenerator.looksLikeKey(key)).isTrue();
            seen.add(key);
        }
        assertThat(seen).hasSize(1000);
        assertThat(generator.newKey("test")).startsWith("dh_test_");
        // 32 characters of 62 carry more than 128 bits
        assertThat(32 * Math.log(62) / Math.log(2)).isGreaterThan(128);
    }

    @Test
    void theDisplayPrefixShowsTheEnvironmentAndFourCharacters() {
        assertThat(ApiKeyGenerator.displayPrefix("dh_live_abc1xyz789def456uvw012ghi345jk"))
                .isEqualTo("dh_live_abc1...");
        assertThat(ApiKeyGenerator.displayPrefix("dh_test_Q9zz" + "a".repeat(28))).isEqualTo("dh_test_Q9zz...");
    }

    @Test
    void idsAreUlidsThatSortByCreationTime() {
        String earlier = generator.newId(Instant.parse("2024-01-15T10:30:00Z"));
        String later = generator.newId(Instant.parse("2024-01-15T10:30:00.001Z"));

        assertThat(earlier).matches("key_[0-9A-HJKMNP-TV-Z]{26}").startsWith("key_01HM6");
        assertThat(ApiKeyGenerator.looksLikeId(earlier)).isTrue();
        assertThat(later).isGreaterThan(earlier);
        assertThat(ApiKeyGenerator.looksLikeId("key_01h5x4y6z8a9b0c1d2e3f4g5h6")).isFalse();
        assertThat(ApiKeyGenerator.looksLikeKey("dh_prod_" + "a".repeat(32))).isFalse();
        assertThat(ApiKeyGenerator.looksLikeKey(null)).isFalse();
    }
}
