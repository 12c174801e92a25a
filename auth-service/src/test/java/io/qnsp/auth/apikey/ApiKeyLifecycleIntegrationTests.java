package io.qnsp.auth.apikey;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.auth.apikey.DataHubAssertions.names;
import static io.qnsp.auth.apikey.DataHubAssertions.success;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verification through a key's life: active, rotated (old key during and after its deprecation), revoked, expired;
 * the internal endpoint the gateway calls and the Java method behind it, and the use counts it keeps.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
@Import(ApiKeyTestConfiguration.class)
class ApiKeyLifecycleIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    ApiKeyManagement management;

    @Autowired
    ApiKeyUsage usage;

    @Autowired
    JdbcTemplate jdbc;

    String tenant;
    KeysClient api;
    KeysClient gateway;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = KeysClient.writer(port, tenant);
        gateway = KeysClient.gateway(port);
    }

    // nothing left for the shutdown flush, which would race the test database's own shutdown
    @AfterEach
    void flushUses() {
        usage.flush();
    }

    @Test
    void anActiveKeyVerifiesWithItsTenantPrincipalScopesAndLimits() {
        Map<String, Object> request = KeysClient.keyRequest("Gateway key", "read:requests", "write:webhooks");
        request.put("rateLimit", Map.of("requestsPerMinute", 42));
        JsonNode key = success(api.create(request), 201);

        ResponseEntity<JsonNode> response = gateway.verify(key.get("apiKey").asString());

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        JsonNode verified = response.getBody();
        assertThat(names(verified)).containsExactly("keyId", "tenantId", "principal", "scopes", "rateLimit",
                "status", "expiresAt", "accessToken", "accessTokenExpiresAt");
        assertThat(verified.get("accessToken").asString()).isNotBlank();
        assertThat(verified.get("keyId").asString()).isEqualTo(key.get("id").asString());
        assertThat(verified.get("tenantId").asString()).isEqualTo(tenant);
        assertThat(verified.get("principal").asString()).isEqualTo(key.get("id").asString());
        assertThat(verified.get("scopes").toString()).isEqualTo("[\"read:requests\",\"write:webhooks\"]");
        assertThat(verified.get("rateLimit").toString())
                .isEqualTo("{\"requestsPerMinute\":42,\"requestsPerHour\":5000,\"requestsPerDay\":100000}");
        assertThat(verified.get("status").asString()).isEqualTo("active");
        assertThat(verified.get("expiresAt").isNull()).isTrue();
    }

    @Test
    void theRotatedKeyVerifiesUntilItsDeprecationEndsAndTheNewKeyFromTheStart() {
        JsonNode old = api.createKey("Rotated key");
        String oldKey = old.get("apiKey").asString();
        JsonNode rotated = success(api.rotate(old.get("id").asString(), Map.of("deprecationPeriod", 600)), 200);
        String newKey = rotated.get("newKey").get("apiKey").asString();

        ResponseEntity<JsonNode> during = gateway.verify(oldKey);
        assertThat(during.getStatusCode().value()).isEqualTo(200);
        assertThat(during.getBody().get("status").asString()).isEqualTo("deprecated");
        assertThat(during.getBody().get("expiresAt").asString())
                .isEqualTo(rotated.get("oldKey").get("expiresAt").asString());
        assertThat(gateway.verify(newKey).getBody().get("status").asString()).isEqualTo("active");

        clock.advance(Duration.ofSeconds(599));
        assertThat(gateway.verify(oldKey).getStatusCode().value()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(2));
        assertInvalid(gateway.verify(oldKey));
        assertThat(gateway.verify(newKey).getStatusCode().value()).isEqualTo(200);
        assertThat(success(api.get(old.get("id").asString()), 200).get("status").asString()).isEqualTo("expired");
    }

    @Test
    void aZeroDeprecationPeriodEndsTheOldKeyAtOnce() {
        JsonNode old = api.createKey("Compromised key");

        JsonNode rotated = success(api.rotate(old.get("id").asString(), Map.of("deprecationPeriod", 0)), 200);

        assertThat(rotated.get("oldKey").get("status").asString()).isEqualTo("expired");
        assertInvalid(gateway.verify(old.get("apiKey").asString()));
        assertThat(gateway.verify(rotated.get("newKey").get("apiKey").asString()).getStatusCode().value())
                .isEqualTo(200);
    }

    @Test
    void aRevokedKeyFailsAtOnce() {
        JsonNode key = api.createKey("Revoked key");
        String apiKey = key.get("apiKey").asString();
        assertThat(gateway.verify(apiKey).getStatusCode().value()).isEqualTo(200);

        success(api.revoke(key.get("id").asString()), 200);

        assertInvalid(gateway.verify(apiKey));
        assertThat(management.verify(apiKey)).isEmpty();
    }

    @Test
    void aKeyFailsOnceItsExpiryHasPassed() {
        Map<String, Object> request = KeysClient.keyRequest("Short-lived key");
        Instant expiresAt = clock.instant().plus(Duration.ofHours(1));
        request.put("expiresAt", expiresAt.toString());
        // stored (and answered) in PostgreSQL's microseconds
        expiresAt = expiresAt.truncatedTo(ChronoUnit.MICROS);
        String apiKey = success(api.create(request), 201).get("apiKey").asString();
        ResponseEntity<JsonNode> before = gateway.verify(apiKey);
        assertThat(before.getStatusCode().value()).isEqualTo(200);
        assertThat(Instant.parse(before.getBody().get("expiresAt").asString())).isEqualTo(expiresAt);

        clock.advance(Duration.ofHours(1).plusSeconds(1));

        assertInvalid(gateway.verify(apiKey));
    }

    @Test
    void unknownAndMalformedKeysFailAlikeWithoutAnsweringInDetail() {
        String lookalike = "dh_live_" + "A".repeat(32);
        ResponseEntity<JsonNode> unknown = gateway.verify(lookalike);
        ResponseEntity<JsonNode> malformed = gateway.verify("not a key at all");

        assertInvalid(unknown);
        assertInvalid(malformed);
        assertThat(unknown.getBody().get("message").asString())
                .isEqualTo(malformed.getBody().get("message").asString());
        assertThat(unknown.getBody().toString()).doesNotContain(lookalike);
        ResponseEntity<JsonNode> missing = gateway.postRaw("/internal/v1/keys/verify", "{}");
        assertThat(missing.getStatusCode().value()).isEqualTo(400);
        assertThat(missing.getBody().get("details").get("field").asString()).isEqualTo("apiKey");
    }

    @Test
    void verificationNeedsTheGatewaysScopeAndItsOwnRefusalLooksDifferent() {
        String apiKey = api.createKey("Verified by whom").get("apiKey").asString();

        ResponseEntity<JsonNode> anonymous = KeysClient.anonymous(port).verify(apiKey);
        ResponseEntity<JsonNode> keyManager = api.verify(apiKey);
        ResponseEntity<JsonNode> expiredGateway = KeysClient.withToken(port, TestTokens.forTenant("platform")
                .scopes("internal:keys:verify").expired().mint()).verify(apiKey);

        assertThat(anonymous.getStatusCode().value()).isEqualTo(401);
        assertThat(anonymous.getBody().get("error").asString()).isEqualTo("UNAUTHORIZED");
        assertThat(expiredGateway.getStatusCode().value()).isEqualTo(401);
        assertThat(expiredGateway.getBody().get("error").asString()).isEqualTo("UNAUTHORIZED");
        assertThat(keyManager.getStatusCode().value()).isEqualTo(403);
        assertThat(keyManager.getBody().get("error").asString()).isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(keyManager.getBody().get("details").get("missingScopes").toString())
                .isEqualTo("[\"internal:keys:verify\"]");
    }

    @Test
    void theJavaMethodVerifiesLikeTheEndpoint() {
        JsonNode key = api.createKey("For the token endpoint", "admin");

        VerifiedApiKey verified = management.verify(key.get("apiKey").asString()).orElseThrow();

        assertThat(verified.keyId()).isEqualTo(key.get("id").asString());
        assertThat(verified.principal()).isEqualTo(verified.keyId());
        assertThat(verified.tenantId()).isEqualTo(tenant);
        assertThat(verified.scopes()).containsExactly("admin");
        assertThat(verified.status()).isEqualTo(ApiKeyStatus.ACTIVE);
        assertThat(management.verify(null)).isEmpty();
        assertThat(management.verify("dh_test_" + "b".repeat(32))).isEmpty();
    }

    @Test
    void usesAreCountedInMemoryAndWrittenInBatches() {
        JsonNode key = api.createKey("Counted key");
        String id = key.get("id").asString();
        usage.flush();
        for (int i = 0; i < 3; i++) {
            assertThat(gateway.verify(key.get("apiKey").asString()).getStatusCode().value()).isEqualTo(200);
        }
        Instant usedAround = clock.instant();

        JsonNode beforeFlush = success(api.get(id), 200);
        assertThat(beforeFlush.get("totalRequests").asLong()).isEqualTo(3);
        assertThat(Instant.parse(beforeFlush.get("lastUsedAt").asString()))
                .isBetween(usedAround.minusSeconds(10), usedAround.plusSeconds(1));
        assertThat(jdbc.queryForObject("select total_requests from api_key where id = ?", Long.class, id)).isZero();

        usage.flush();

        assertThat(jdbc.queryForObject("select total_requests from api_key where id = ?", Long.class, id))
                .isEqualTo(3);
        JsonNode afterFlush = success(api.get(id), 200);
        assertThat(afterFlush.get("totalRequests").asLong()).isEqualTo(3);
        assertThat(afterFlush.get("lastUsedAt").asString()).isEqualTo(beforeFlush.get("lastUsedAt").asString());
        JsonNode listed = success(api.list(""), 200).get(0);
        assertThat(listed.get("totalRequests").asLong()).isEqualTo(3);

        gateway.verify("dh_live_" + "Z".repeat(32));
        usage.flush();
        assertThat(jdbc.queryForObject("select total_requests from api_key where id = ?", Long.class, id))
                .isEqualTo(3);
    }

    @Test
    void changedScopesAndLimitsVerifyAtOnce() {
        JsonNode key = api.createKey("Narrowed", "read:requests", "write:requests");
        String apiKey = key.get("apiKey").asString();
        assertThat(gateway.verify(apiKey).getBody().get("scopes").size()).isEqualTo(2);

        success(api.update(key.get("id").asString(), Map.of("scopes", List.of("read:requests"),
                "rateLimit", Map.of("requestsPerMinute", 5))), 200);

        JsonNode verified = gateway.verify(apiKey).getBody();
        assertThat(verified.get("scopes").toString()).isEqualTo("[\"read:requests\"]");
        assertThat(verified.get("rateLimit").get("requestsPerMinute").asInt()).isEqualTo(5);
    }

    private static void assertInvalid(ResponseEntity<JsonNode> response) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(401);
        assertThat(response.getBody().get("error").asString()).isEqualTo("INVALID_API_KEY");
    }
}
