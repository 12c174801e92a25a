package io.qnsp.auth.apikey;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.auth.apikey.DataHubAssertions.error;
import static io.qnsp.auth.apikey.DataHubAssertions.names;
import static io.qnsp.auth.apikey.DataHubAssertions.success;
import static io.qnsp.auth.apikey.DataHubAssertions.validation;
import static org.assertj.core.api.Assertions.assertThat;

/** The six key endpoints over real HTTP: every documented answer, in the DataHub format. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
@Import(ApiKeyTestConfiguration.class)
class ApiKeyApiIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    String tenant;
    KeysClient api;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = KeysClient.writer(port, tenant);
    }

    @Test
    void createAnswers201WithTheKeyOnceAndDefaultsForOmittedLimits() {
        Instant expiresAt = clock.instant().plus(Duration.ofDays(365)).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Production API Key");
        body.put("description", "Used for production backend");
        body.put("scopes", List.of("read:requests", "write:webhooks"));
        body.put("rateLimit", Map.of("requestsPerMinute", 500, "requestsPerHour", 25000));
        body.put("expiresAt", expiresAt.toString());
        body.put("metadata", Map.of("environment", "production", "team", "backend"));

        JsonNode key = success(api.create(body), 201);

        assertThat(key.get("id").asString()).matches("key_[0-9A-HJKMNP-TV-Z]{26}");
        String apiKey = key.get("apiKey").asString();
        assertThat(apiKey).matches("dh_live_[0-9A-Za-z]{32}");
        assertThat(key.get("keyPrefix").asString()).isEqualTo(apiKey.substring(0, 12) + "...");
        assertThat(key.get("name").asString()).isEqualTo("Production API Key");
        assertThat(key.get("status").asString()).isEqualTo("active");
        assertThat(key.get("scopes").toString()).isEqualTo("[\"read:requests\",\"write:webhooks\"]");
        assertThat(key.get("rateLimit").get("requestsPerMinute").asInt()).isEqualTo(500);
        assertThat(key.get("rateLimit").get("requestsPerHour").asInt()).isEqualTo(25000);
        assertThat(key.get("rateLimit").get("requestsPerDay").asInt()).isEqualTo(100000);
        assertThat(Instant.parse(key.get("createdAt").asString())).isCloseTo(clock.instant(),
                org.assertj.core.api.Assertions.within(5, ChronoUnit.SECONDS));
        assertThat(Instant.parse(key.get("expiresAt").asString())).isEqualTo(expiresAt);
    }

    @Test
    void aKeyWithoutLimitsGetsAllThreeDefaults() {
        JsonNode key = api.createKey("defaults only");

        assertThat(key.get("rateLimit").get("requestsPerMinute").asInt()).isEqualTo(100);
        assertThat(key.get("rateLimit").get("requestsPerHour").asInt()).isEqualTo(5000);
        assertThat(key.get("rateLimit").get("requestsPerDay").asInt()).isEqualTo(100000);
        assertThat(key.get("expiresAt").isNull()).isTrue();
    }

    @Test
    void getShowsEverythingButTheKey() {
        Map<String, Object> request = KeysClient.keyRequest("Described key", "read:keys", "admin");
        request.put("description", "for the dashboard");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("team", "platform");
        metadata.put("cost", 12.5);
        metadata.put("tags", List.of("a", "b"));
        metadata.put("public", false);
        request.put("metadata", metadata);
        JsonNode created = success(api.create(request), 201);

        ResponseEntity<JsonNode> response = api.get(created.get("id").asString());

        JsonNode key = success(response, 200);
        assertThat(key.has("apiKey")).isFalse();
        assertThat(response.getBody().toString()).doesNotContain(created.get("apiKey").asString());
        assertThat(key.get("id").asString()).isEqualTo(created.get("id").asString());
        assertThat(key.get("keyPrefix").asString()).isEqualTo(created.get("keyPrefix").asString());
        assertThat(key.get("description").asString()).isEqualTo("for the dashboard");
        assertThat(key.get("status").asString()).isEqualTo("active");
        assertThat(key.get("scopes").toString()).isEqualTo("[\"read:keys\",\"admin\"]");
        assertThat(names(key.get("metadata"))).containsExactly("team", "cost", "tags", "public");
        assertThat(key.get("metadata").get("cost").asDouble()).isEqualTo(12.5);
        assertThat(key.get("rateLimit").get("requestsPerDay").asInt()).isEqualTo(100000);
        assertThat(key.get("totalRequests").asLong()).isZero();
        assertThat(key.get("lastUsedAt").isNull()).isTrue();
        assertThat(key.get("createdAt").asString()).isEqualTo(created.get("createdAt").asString());
        assertThat(key.get("createdBy").asString()).isEqualTo("user-" + tenant);
        assertThat(names(key)).contains("id", "keyPrefix", "name", "description", "status", "scopes", "rateLimit",
                "metadata", "totalRequests", "lastUsedAt", "createdAt", "expiresAt");
    }

    @Test
    void updateChangesOnlyTheFieldsGiven() {
        Map<String, Object> request = KeysClient.keyRequest("Before", "read:requests", "write:requests");
        request.put("description", "old text");
        request.put("metadata", Map.of("team", "backend"));
        request.put("rateLimit", Map.of("requestsPerMinute", 7));
        String id = api.createKey("unused").get("id").asString();
        id = success(api.create(request), 201).get("id").asString();

        JsonNode updated = success(api.update(id, Map.of("name", "Updated Key Name",
                "description", "Updated description", "scopes", List.of("read:requests"),
                "metadata", Map.of("team", "platform"))), 200);

        assertThat(updated.get("id").asString()).isEqualTo(id);
        assertThat(updated.get("name").asString()).isEqualTo("Updated Key Name");
        assertThat(updated.get("description").asString()).isEqualTo("Updated description");
        assertThat(updated.get("scopes").toString()).isEqualTo("[\"read:requests\"]");
        assertThat(updated.get("metadata").toString()).isEqualTo("{\"team\":\"platform\"}");
        assertThat(updated.get("rateLimit").get("requestsPerMinute").asInt()).isEqualTo(7);
        assertThat(updated.has("apiKey")).isFalse();

        JsonNode unchanged = success(api.update(id, Map.of()), 200);
        assertThat(unchanged.get("name").asString()).isEqualTo("Updated Key Name");
        assertThat(unchanged.get("scopes").toString()).isEqualTo("[\"read:requests\"]");

        JsonNode cleared = success(api.update(id, Map.of("description", "", "metadata", Map.of(),
                "rateLimit", Map.of("requestsPerDay", 9))), 200);
        assertThat(cleared.get("description").isNull()).isTrue();
        assertThat(cleared.get("metadata").size()).isZero();
        assertThat(cleared.get("rateLimit").get("requestsPerMinute").asInt()).isEqualTo(7);
        assertThat(cleared.get("rateLimit").get("requestsPerDay").asInt()).isEqualTo(9);
        assertThat(success(api.get(id), 200).get("name").asString()).isEqualTo("Updated Key Name");
    }

    @Test
    void updateRefusesBrokenRulesAndKeepsTheKeyAsItWas() {
        String id = api.createKey("Stays the same", "read:keys").get("id").asString();

        validation(api.update(id, Map.of("name", "ab")), "name");
        validation(api.update(id, Map.of("scopes", List.of())), "scopes");
        validation(api.update(id, Map.of("name", "Valid name", "scopes", List.of("fly:planes"))), "scopes");
        validation(api.update(id, Map.of("metadata", Map.of("nested", Map.of("a", 1)))), "metadata.nested");

        JsonNode key = success(api.get(id), 200);
        assertThat(key.get("name").asString()).isEqualTo("Stays the same");
        assertThat(key.get("scopes").toString()).isEqualTo("[\"read:keys\"]");
    }

    @Test
    void deleteRevokesSoftlyAndAgainChangesNothing() {
        String id = api.createKey("To revoke").get("id").asString();

        JsonNode revoked = success(api.revoke(id), 200);

        assertThat(names(revoked)).containsExactly("id", "status", "revokedAt");
        assertThat(revoked.get("id").asString()).isEqualTo(id);
        assertThat(revoked.get("status").asString()).isEqualTo("revoked");
        Instant revokedAt = Instant.parse(revoked.get("revokedAt").asString());
        JsonNode key = success(api.get(id), 200);
        assertThat(key.get("status").asString()).isEqualTo("revoked");
        assertThat(Instant.parse(key.get("revokedAt").asString())).isEqualTo(revokedAt);

        JsonNode again = success(api.revoke(id), 200);
        assertThat(Instant.parse(again.get("revokedAt").asString())).isEqualTo(revokedAt);
    }

    @Test
    void rotateIssuesANewKeyAndDeprecatesTheOldOneForThePeriod() {
        JsonNode old = api.createKey("Rotating", "read:requests", "write:webhooks");
        String oldId = old.get("id").asString();

        JsonNode rotated = success(api.rotate(oldId, Map.of("deprecationPeriod", 3600)), 200);

        assertThat(names(rotated)).containsExactly("newKey", "oldKey");
        JsonNode newKey = rotated.get("newKey");
        assertThat(names(newKey)).containsExactly("id", "apiKey", "keyPrefix", "status");
        assertThat(newKey.get("id").asString()).isNotEqualTo(oldId).startsWith("key_");
        assertThat(newKey.get("apiKey").asString()).matches("dh_live_[0-9A-Za-z]{32}")
                .isNotEqualTo(old.get("apiKey").asString());
        assertThat(newKey.get("keyPrefix").asString()).isEqualTo(newKey.get("apiKey").asString().substring(0, 12)
                + "...");
        assertThat(newKey.get("status").asString()).isEqualTo("active");
        JsonNode oldKey = rotated.get("oldKey");
        assertThat(names(oldKey)).containsExactly("id", "status", "deprecatedAt", "expiresAt");
        assertThat(oldKey.get("id").asString()).isEqualTo(oldId);
        assertThat(oldKey.get("status").asString()).isEqualTo("deprecated");
        Instant deprecatedAt = Instant.parse(oldKey.get("deprecatedAt").asString());
        assertThat(Instant.parse(oldKey.get("expiresAt").asString())).isEqualTo(deprecatedAt.plusSeconds(3600));

        JsonNode successor = success(api.get(newKey.get("id").asString()), 200);
        assertThat(successor.get("name").asString()).isEqualTo("Rotating");
        assertThat(successor.get("scopes").toString()).isEqualTo("[\"read:requests\",\"write:webhooks\"]");
        assertThat(successor.get("rotatedFrom").asString()).isEqualTo(oldId);
        assertThat(success(api.get(oldId), 200).get("replacedBy").asString())
                .isEqualTo(newKey.get("id").asString());
    }

    @Test
    void rotateWithoutABodyDeprecatesForADay() {
        String id = api.createKey("Default period").get("id").asString();

        JsonNode oldKey = success(api.rotate(id, null), 200).get("oldKey");

        assertThat(Instant.parse(oldKey.get("expiresAt").asString()))
                .isEqualTo(Instant.parse(oldKey.get("deprecatedAt").asString()).plusSeconds(86400));
    }

    @Test
    void rotateRefusesABadPeriodAndKeysThatAreNotActive() {
        String id = api.createKey("Rotate rules").get("id").asString();

        validation(api.rotate(id, Map.of("deprecationPeriod", -1)), "deprecationPeriod");
        validation(api.rotate(id, Map.of("deprecationPeriod", 31L * 24 * 3600)), "deprecationPeriod");
        validation(api.rotate(id, Map.of("deprecationPeriod", "soon")), "deprecationPeriod");
        assertThat(success(api.get(id), 200).get("status").asString()).isEqualTo("active");

        success(api.rotate(id, Map.of("deprecationPeriod", 60)), 200);
        JsonNode twice = error(api.rotate(id, Map.of()), 409, "CONFLICT");
        assertThat(twice.get("details").get("status").asString()).isEqualTo("deprecated");

        String revoked = api.createKey("Revoked first").get("id").asString();
        success(api.revoke(revoked), 200);
        assertThat(error(api.rotate(revoked, Map.of()), 409, "CONFLICT").get("details").get("status").asString())
                .isEqualTo("revoked");
    }

    @Test
    void createRefusesEveryBrokenRuleNamingTheField() {
        validation(api.create(Map.of("scopes", List.of("read:keys"))), "name");
        validation(api.create(KeysClient.keyRequest("ab")), "name");
        validation(api.create(KeysClient.keyRequest("   ab   ")), "name");
        validation(api.create(KeysClient.keyRequest("x".repeat(101))), "name");
        validation(api.create(Map.of("name", "No scopes")), "scopes");
        validation(api.create(Map.of("name", "Empty scopes", "scopes", List.of())), "scopes");
        JsonNode unknown = validation(api.create(KeysClient.keyRequest("Unknown scopes", "read:keys",
                "delete:everything", "root")), "scopes");
        assertThat(unknown.get("details").get("unknownScopes").toString())
                .isEqualTo("[\"delete:everything\",\"root\"]");
        assertThat(unknown.get("details").get("allowedScopes").toString()).contains("write:keys", "admin");
        assertThat(unknown.get("message").asString()).contains("delete:everything");

        Map<String, Object> past = KeysClient.keyRequest("Expired already");
        past.put("expiresAt", clock.instant().minusSeconds(60).toString());
        validation(api.create(past), "expiresAt");
        Map<String, Object> notADate = KeysClient.keyRequest("Bad date");
        notADate.put("expiresAt", "next tuesday");
        validation(api.create(notADate), "expiresAt");

        Map<String, Object> negative = KeysClient.keyRequest("Negative limit");
        negative.put("rateLimit", Map.of("requestsPerMinute", 0));
        validation(api.create(negative), "rateLimit.requestsPerMinute");
        Map<String, Object> notANumber = KeysClient.keyRequest("Text limit");
        notANumber.put("rateLimit", Map.of("requestsPerHour", "many"));
        validation(api.create(notANumber), "rateLimit.requestsPerHour");
        Map<String, Object> huge = KeysClient.keyRequest("Huge limit");
        huge.put("rateLimit", Map.of("requestsPerDay", 5_000_000_000L));
        validation(api.create(huge), "rateLimit.requestsPerDay");

        Map<String, Object> nested = KeysClient.keyRequest("Nested metadata");
        nested.put("metadata", Map.of("owner", Map.of("team", "x")));
        validation(api.create(nested), "metadata.owner");
        Map<String, Object> big = KeysClient.keyRequest("Big metadata");
        big.put("metadata", Map.of("blob", "x".repeat(1000), "more", "y".repeat(1000), "again", "z".repeat(1000),
                "last", "w".repeat(1000), "extra", "v".repeat(500)));
        validation(api.create(big), "metadata");
        Map<String, Object> notAnObject = KeysClient.keyRequest("Metadata text");
        notAnObject.put("metadata", "team=backend");
        validation(api.create(notAnObject), "metadata");

        validation(api.createRaw("{\"name\":\"Malformed\","), "body");
        validation(api.createRaw("{\"name\":\"Wrong scopes type\",\"scopes\":\"read:keys\"}"), "scopes");

        JsonNode several = validation(api.create(Map.of("name", "ab", "scopes", List.of())), "name");
        assertThat(several.get("details").get("fields").findValuesAsString("field")).containsExactly("name", "scopes");

        assertThat(success(api.list(""), 200).size()).isZero();
    }

    @Test
    void anUnknownOrMalformedIdIsNotFoundEverywhere() {
        String unknown = "key_01H5X4Y6Z8A9B0C1D2E3F4G5H6";
        for (String id : List.of(unknown, "not-a-key-id", "key_")) {
            error(api.get(id), 404, "NOT_FOUND");
            error(api.update(id, Map.of("name", "whatever")), 404, "NOT_FOUND");
            error(api.revoke(id), 404, "NOT_FOUND");
            error(api.rotate(id, Map.of()), 404, "NOT_FOUND");
        }
    }

    @Test
    void theTestEnvironmentIsNotTheDefault() {
        assertThat(api.createKey("Environment").get("apiKey").asString()).startsWith("dh_live_");
    }
}
