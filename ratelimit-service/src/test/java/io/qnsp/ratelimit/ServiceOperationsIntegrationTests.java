package io.qnsp.ratelimit;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator relies on besides the API: probes, metrics and the API description. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class ServiceOperationsIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void probesNeedNoCredentialsAndReadinessCoversPostgresAndRedis() {
        RateLimitClient api = new RateLimitClient(port);
        ResponseEntity<JsonNode> readiness = api.plain().get().uri("/actuator/health/readiness").retrieve()
                .toEntity(JsonNode.class);
        assertThat(readiness.getStatusCode().value()).isEqualTo(200);
        assertThat(readiness.getBody().get("status").asString()).isEqualTo("UP");
        assertThat(api.plain().get().uri("/actuator/health/liveness").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void prometheusExposesDecisionCountersTaggedWithTheService() {
        RateLimitClient api = new RateLimitClient(port);
        String key = api.createKey("metrics", 1, 1);
        api.check(key, 1);
        api.check(key, 1);
        String scrape = api.plain().get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(scrape).contains("qnsp_ratelimit_decisions_total").contains("service=\"ratelimit-service\"")
                .contains("outcome=\"allowed\"").contains("outcome=\"denied\"");
    }

    @Test
    void theOpenApiDocumentListsEveryEndpointAndTheAdminTokenScheme() {
        JsonNode document = new RateLimitClient(port).plain().get().uri("/v3/api-docs").retrieve()
                .body(JsonNode.class);
        JsonNode paths = document.get("paths");
        assertThat(paths.has("/v1/check")).isTrue();
        // the check's body is read by a streaming reader, but documented as the record it is read into
        JsonNode checkBody = paths.get("/v1/check").get("post").get("requestBody");
        assertThat(checkBody.get("required").asBoolean()).isTrue();
        assertThat(checkBody.get("content").get("application/json").get("schema").get("$ref").asString())
                .endsWith("/CheckRequest");
        JsonNode checkRequest = document.get("components").get("schemas").get("CheckRequest");
        assertThat(checkRequest.get("properties").get("apiKey").get("maxLength").asInt()).isEqualTo(256);
        assertThat(checkRequest.get("properties").get("cost").get("minimum").asInt()).isEqualTo(1);
        assertThat(checkRequest.get("required").toString()).contains("apiKey");
        assertThat(paths.get("/v1/api-keys").has("post")).isTrue();
        assertThat(paths.get("/v1/api-keys").has("get")).isTrue();
        assertThat(paths.get("/v1/api-keys/{key}").has("get")).isTrue();
        assertThat(paths.get("/v1/api-keys/{key}/limits").has("put")).isTrue();
        assertThat(paths.get("/v1/api-keys/{key}/limits").has("get")).isTrue();
        assertThat(paths.get("/v1/api-keys/{key}/metrics").has("get")).isTrue();
        JsonNode schemes = document.get("components").get("securitySchemes");
        assertThat(schemes.get("adminToken").get("name").asString()).isEqualTo("X-Admin-Token");
        assertThat(schemes.get("bearerJwt").get("scheme").asString()).isEqualTo("bearer");
    }
}
