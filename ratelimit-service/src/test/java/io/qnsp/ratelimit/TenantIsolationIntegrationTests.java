package io.qnsp.ratelimit;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Besides the admin token, a tenant's administrator (a JWT with the admin role) manages keys: only their own
 * tenant's, and another tenant's key is simply not there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class TenantIsolationIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void tenantAdministratorsSeeOnlyTheirOwnKeys() {
        RestClient acme = asAdminOf("acme");
        RestClient globex = asAdminOf("globex");
        JsonNode acmeKey = acme.post().uri("/v1/api-keys").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "acme uploader")).retrieve().toEntity(JsonNode.class).getBody();
        String key = acmeKey.get("apiKey").asString();
        String keyId = acmeKey.get("keyId").asString();

        assertThat(acme.get().uri("/v1/api-keys/{key}", key).retrieve().toEntity(JsonNode.class)
                .getStatusCode().value()).isEqualTo(200);
        assertThat(acme.get().uri("/v1/api-keys").retrieve().body(JsonNode.class).findValuesAsString("keyId"))
                .containsExactly(keyId);

        for (String reference : new String[] {key, keyId}) {
            assertThat(globex.get().uri("/v1/api-keys/{key}", reference).retrieve().toBodilessEntity()
                    .getStatusCode().value()).isEqualTo(404);
            assertThat(globex.get().uri("/v1/api-keys/{key}/limits", reference).retrieve().toBodilessEntity()
                    .getStatusCode().value()).isEqualTo(404);
            assertThat(globex.put().uri("/v1/api-keys/{key}/limits", reference)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("algorithm", "token_bucket", "tokensPerSecond", 1, "burstCapacity", 1))
                    .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(404);
            assertThat(globex.post().uri("/v1/api-keys/{key}/disable", reference).retrieve().toBodilessEntity()
                    .getStatusCode().value()).isEqualTo(404);
            assertThat(globex.delete().uri("/v1/api-keys/{key}", reference).retrieve().toBodilessEntity()
                    .getStatusCode().value()).isEqualTo(404);
        }
        assertThat(globex.get().uri("/v1/api-keys").retrieve().body(JsonNode.class).size()).isZero();
        // the platform operator's keys are not a tenant's either
        new RateLimitClient(port).createKey("platform key");
        assertThat(globex.get().uri("/v1/api-keys").retrieve().body(JsonNode.class).size()).isZero();

        // nothing globex tried changed acme's key, and the key still works
        JsonNode limits = acme.get().uri("/v1/api-keys/{key}/limits", key).retrieve().body(JsonNode.class);
        assertThat(limits.get("burstCapacity").asInt()).isEqualTo(50);
        assertThat(new RateLimitClient(port).check(key, 1).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void aTenantUserWithoutTheAdminRoleIsForbidden() {
        String token = TestTokens.forTenant("acme").roles("developer").mint();
        ResponseEntity<JsonNode> response = client(token).get().uri("/v1/api-keys").retrieve()
                .toEntity(JsonNode.class);
        assertThat(response.getStatusCode().value()).isEqualTo(403);
        assertThat(response.getBody().get("error").asString()).isEqualTo("forbidden");
    }

    @Test
    void anExpiredTokenIsRejected() {
        String token = TestTokens.forTenant("acme").roles("admin").expired().mint();
        assertThat(client(token).get().uri("/v1/api-keys").retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(401);
    }

    private RestClient asAdminOf(String tenant) {
        return client(TestTokens.forTenant(tenant).roles("admin").mint());
    }

    private RestClient client(String token) {
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader("Authorization", "Bearer " + token)
                .defaultStatusHandler(status -> true, (request, response) -> {
                })
                .build();
    }
}
