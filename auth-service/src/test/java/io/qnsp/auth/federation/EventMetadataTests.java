package io.qnsp.auth.federation;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventMetadataTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EventMetadata metadata = new EventMetadata(JSON, 256);

    @Test
    void noMetadataIsAnEmptyObject() {
        assertThat(metadata.toStoredJson(null)).isEqualTo("{}");
    }

    @Test
    void credentialValuesAreRedactedAtAnyDepthWhateverTheKeysSpelling() {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("Password", "p1");
        input.put("client_secret", "p2");
        input.put("refreshToken", "p3");
        input.put("x-api-key", "p4");
        input.put("nested", Map.of("SAMLResponse", "p5", "list", List.of(Map.of("Cookie", "p6"))));
        input.put("ip", "192.0.2.1");
        input.put("tokenType", "Bearer");
        input.put("token", null);

        JsonNode stored = JSON.readTree(metadata.toStoredJson(input));
        assertThat(stored.get("Password").asString()).isEqualTo(EventMetadata.REDACTED);
        assertThat(stored.get("client_secret").asString()).isEqualTo(EventMetadata.REDACTED);
        assertThat(stored.get("refreshToken").asString()).isEqualTo(EventMetadata.REDACTED);
        assertThat(stored.get("x-api-key").asString()).isEqualTo(EventMetadata.REDACTED);
        assertThat(stored.get("nested").get("SAMLResponse").asString()).isEqualTo(EventMetadata.REDACTED);
        assertThat(stored.get("nested").get("list").get(0).get("Cookie").asString())
                .isEqualTo(EventMetadata.REDACTED);
        assertThat(stored.get("ip").asString()).isEqualTo("192.0.2.1");
        assertThat(stored.get("tokenType").asString()).isEqualTo("Bearer");
        assertThat(stored.get("token").isNull()).isTrue();
        assertThat(stored.toString()).doesNotContain("p1", "p2", "p3", "p4", "p5", "p6");
    }

    @Test
    void aSecretObjectIsRedactedWhole() {
        JsonNode stored = JSON.readTree(metadata.toStoredJson(Map.of("credentials", Map.of("user", "u",
                "pass", "hidden"))));
        assertThat(stored.get("credentials").asString()).isEqualTo(EventMetadata.REDACTED);
    }

    @Test
    void metadataBeyondTheSizeLimitIsRefusedNamingMetadata() {
        assertThat(metadata.toStoredJson(Map.of("a", "x".repeat(200)))).hasSizeLessThan(256);
        assertThatThrownBy(() -> metadata.toStoredJson(Map.of("a", "x".repeat(260))))
                .isInstanceOf(MetadataTooLarge.class)
                .satisfies(e -> assertThat(((MetadataTooLarge) e).details())
                        .containsEntry("field", "metadata").containsEntry("maxBytes", 256L));
    }

    @Test
    void multiByteCharactersCountAsTheirBytes() {
        // 100 characters of 3 bytes each: 300 bytes
        assertThatThrownBy(() -> metadata.toStoredJson(Map.of("a", "€".repeat(100))))
                .isInstanceOf(MetadataTooLarge.class);
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        Object value = "leaf";
        for (int i = 0; i < EventMetadata.MAX_DEPTH - 1; i++) {
            value = Map.of("n", value);
        }
        Map<String, Object> deepest = Map.of("n", value);
        assertThat(metadata.toStoredJson(deepest)).contains("leaf");
        assertThatThrownBy(() -> metadata.toStoredJson(Map.of("n", List.of(deepest))))
                .isInstanceOf(MetadataTooLarge.class).hasMessageContaining("deep");
    }
}
