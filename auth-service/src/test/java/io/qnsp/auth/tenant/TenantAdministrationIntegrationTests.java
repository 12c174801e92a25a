package io.qnsp.auth.tenant;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Tenants and their clients, administered over HTTP; a new client's tokens carry its tenant's claims. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class TenantAdministrationIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void anOperatorCreatesATenantAndAClientWhoseTokensCarryTheTenant() throws Exception {
        RestClient operator = as(TestTokens.forTenant("platform").roles("admin", "platform_admin").mint());
        String tenantId = "acme-" + suffix();
        ResponseEntity<JsonNode> created = operator.post().uri("/auth/admin/tenants")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("id", tenantId, "name", "Acme Corp", "plan", "pro", "addOns", List.of("byohsm"),
                        "quotas", Map.of("kms.keys", 100)))
                .retrieve().toEntity(JsonNode.class);
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        assertThat(created.getBody().get("id").asString()).isEqualTo(tenantId);
        assertThat(created.getBody().get("addOns").get(0).asString()).isEqualTo("byohsm");

        ResponseEntity<JsonNode> client = operator.post().uri("/auth/admin/tenants/{id}/clients", tenantId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "acme backend", "scopes", List.of("risk:read", "risk:write"),
                        "roles", List.of("admin")))
                .retrieve().toEntity(JsonNode.class);
        assertThat(client.getStatusCode().value()).isEqualTo(201);
        String clientId = client.getBody().get("clientId").asString();
        String secret = client.getBody().get("clientSecret").asString();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(40);

        JsonNode listed = operator.get().uri("/auth/admin/tenants/{id}/clients", tenantId).retrieve()
                .body(JsonNode.class);
        assertThat(listed.get("clients").get(0).get("clientId").asString()).isEqualTo(clientId);
        assertThat(listed.toString()).doesNotContain(secret);

        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "client_credentials");
        form.add("scope", "risk:read");
        JsonNode token = plain().post().uri("/oauth2/token").headers(h -> h.setBasicAuth(clientId, secret))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(form).retrieve().body(JsonNode.class);
        JwtClaims claims = new JwtConsumerBuilder().setSkipSignatureVerification().setSkipAllValidators().build()
                .processToClaims(token.get("access_token").asString());
        assertThat(claims.getStringClaimValue("tenant_id")).isEqualTo(tenantId);
        assertThat(claims.getStringListClaimValue("roles")).containsExactly("admin");
        assertThat(claims.getStringListClaimValue("addons")).containsExactly("byohsm");
        assertThat(claims.getStringClaimValue("plan")).isEqualTo("pro");
        assertThat(claims.getStringListClaimValue("scope")).containsExactly("risk:read");
    }

    @Test
    void anOperatorActsWithinATenantWithAShortLivedTenantAdministratorTokenNamingTheOperator() throws Exception {
        RestClient operator = as(TestTokens.forTenant("platform").subject("platform-operator")
                .roles("admin", "platform_admin").mint());
        String tenantId = "acted-" + suffix();
        operator.post().uri("/auth/admin/tenants").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("id", tenantId, "name", "Acted", "plan", "pro", "addOns", List.of("key-escrow")))
                .retrieve().toBodilessEntity();

        ResponseEntity<JsonNode> issued = operator.post().uri("/auth/admin/tenants/{id}/access-tokens", tenantId)
                .retrieve().toEntity(JsonNode.class);

        assertThat(issued.getStatusCode().value()).isEqualTo(200);
        JsonNode body = issued.getBody();
        assertThat(body.get("tokenType").asString()).isEqualTo("Bearer");
        assertThat(body.get("tenantId").asString()).isEqualTo(tenantId);
        assertThat(body.get("actor").asString()).isEqualTo("platform-operator");
        assertThat(body.get("expiresIn").asLong()).isEqualTo(900);
        JwtClaims claims = new JwtConsumerBuilder().setSkipSignatureVerification().setSkipAllValidators().build()
                .processToClaims(body.get("accessToken").asString());
        assertThat(claims.getStringClaimValue("tenant_id")).isEqualTo(tenantId);
        assertThat(claims.getSubject()).isEqualTo("platform-operator");
        assertThat(claims.getStringListClaimValue("roles")).containsExactly("admin");
        assertThat(claims.getStringListClaimValue("scope")).containsExactly("admin");
        assertThat(claims.getStringListClaimValue("addons")).containsExactly("key-escrow");
        assertThat(claims.getStringClaimValue("plan")).isEqualTo("pro");
        assertThat(claims.getClaimValue("act", Map.class)).containsEntry("sub", "platform-operator")
                .containsEntry("tenant_id", "platform");
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(900);

        // only the operator, and only for a tenant that exists
        assertThat(status(operator.post().uri("/auth/admin/tenants/{id}/access-tokens", "no-such-" + suffix())))
                .isEqualTo(404);
        RestClient tenantAdmin = as(TestTokens.forTenant(tenantId).roles("admin").mint());
        assertThat(status(tenantAdmin.post().uri("/auth/admin/tenants/{id}/access-tokens", tenantId)))
                .isEqualTo(403);
        assertThat(status(plain().post().uri("/auth/admin/tenants/{id}/access-tokens", tenantId))).isEqualTo(401);
    }

    @Test
    void tenantAdministratorsSeeOnlyTheirOwnTenantAndCannotGrantOperatorRights() {
        RestClient operator = as(TestTokens.forTenant("platform").roles("admin", "platform_admin").mint());
        String mine = "mine-" + suffix();
        String theirs = "theirs-" + suffix();
        for (String id : List.of(mine, theirs)) {
            operator.post().uri("/auth/admin/tenants").contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("id", id, "name", id, "plan", "free")).retrieve().toBodilessEntity();
        }
        RestClient tenantAdmin = as(TestTokens.forTenant(mine).roles("admin").mint());

        assertThat(status(tenantAdmin.get().uri("/auth/admin/tenants/{id}", mine))).isEqualTo(200);
        assertThat(status(tenantAdmin.get().uri("/auth/admin/tenants/{id}", theirs))).isEqualTo(404);
        assertThat(status(tenantAdmin.get().uri("/auth/admin/tenants/{id}/clients", theirs))).isEqualTo(404);
        assertThat(status(tenantAdmin.get().uri("/auth/admin/tenants"))).isEqualTo(403);
        ResponseEntity<JsonNode> escalate = tenantAdmin.post().uri("/auth/admin/tenants/{id}/clients", mine)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "sneaky", "scopes", List.of("admin"), "roles", List.of("platform_admin")))
                .retrieve().toEntity(JsonNode.class);
        assertThat(escalate.getStatusCode().value()).isEqualTo(400);
        assertThat(escalate.getBody().get("details").get("field").asString()).isEqualTo("roles");
        ResponseEntity<JsonNode> createTenant = tenantAdmin.post().uri("/auth/admin/tenants")
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("id", "x-" + suffix(), "name", "x", "plan", "free"))
                .retrieve().toEntity(JsonNode.class);
        assertThat(createTenant.getStatusCode().value()).isEqualTo(403);
        assertThat(createTenant.getBody().get("error").asString()).isEqualTo("FORBIDDEN");
        assertThat(status(as(TestTokens.forTenant(mine).scopes("risk:read").mint()).get()
                .uri("/auth/admin/tenants/{id}", mine))).isEqualTo(403);
        assertThat(status(plain().get().uri("/auth/admin/tenants/{id}", mine))).isEqualTo(401);
    }

    @Test
    void invalidTenantsAreRejectedNamingTheFieldAndDuplicatesConflict() {
        RestClient operator = as(TestTokens.forTenant("platform").roles("admin", "platform_admin").mint());
        assertField(operator, Map.of("id", "Bad Id!", "name", "n", "plan", "free"), "id");
        assertField(operator, Map.of("id", "ok-" + suffix(), "plan", "free"), "name");
        assertField(operator, Map.of("id", "ok-" + suffix(), "name", "n", "plan", "Free Plan"), "plan");
        assertField(operator, Map.of("id", "ok-" + suffix(), "name", "n", "plan", "free",
                "quotas", Map.of("kms.keys", -1)), "quotas");
        String id = "dup-" + suffix();
        Map<String, Object> body = Map.of("id", id, "name", "first", "plan", "free");
        assertThat(operator.post().uri("/auth/admin/tenants").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(201);
        ResponseEntity<JsonNode> duplicate = operator.post().uri("/auth/admin/tenants")
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("id", id, "name", "second", "plan", "pro"))
                .retrieve().toEntity(JsonNode.class);
        assertThat(duplicate.getStatusCode().value()).isEqualTo(409);
        // the first one is untouched
        assertThat(operator.get().uri("/auth/admin/tenants/{id}", id).retrieve().body(JsonNode.class)
                .get("name").asString()).isEqualTo("first");
        JsonNode page = operator.get().uri("/auth/admin/tenants?limit=1&offset=0").retrieve().body(JsonNode.class);
        assertThat(page.get("tenants").size()).isEqualTo(1);
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(2);
    }

    private void assertField(RestClient operator, Map<String, Object> body, String field) {
        ResponseEntity<JsonNode> response = operator.post().uri("/auth/admin/tenants")
                .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(JsonNode.class);
        assertThat(response.getStatusCode().value()).as(String.valueOf(response.getBody())).isEqualTo(400);
        assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(400);
        assertThat(response.getBody().get("details").get("field").asString()).isEqualTo(field);
    }

    private static int status(RestClient.RequestHeadersSpec<?> request) {
        return request.retrieve().toBodilessEntity().getStatusCode().value();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private RestClient plain() {
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> {
                })
                .build();
    }

    private RestClient as(String token) {
        return plain().mutate().defaultHeader("Authorization", "Bearer " + token).build();
    }
}
