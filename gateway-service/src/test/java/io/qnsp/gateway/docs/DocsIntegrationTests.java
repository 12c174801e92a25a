package io.qnsp.gateway.docs;

import io.qnsp.gateway.GatewayApplication;
import io.qnsp.gateway.web.StubBackend;
import io.qnsp.gateway.web.TestGateway;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One Swagger UI at the gateway lists the gateway's and every configured service's OpenAPI document. */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // as an operator adds a service: the routing table's route ids, and a server prefix where the route strips one
        properties = {"qnsp.gateway.docs.services[0].route=auth",
                "qnsp.gateway.docs.services[1].route=vault",
                "qnsp.gateway.docs.services[1].server-url=/vault"})
class DocsIntegrationTests {

    private static final StubBackend auth = StubBackend.start();
    private static final StubBackend vault = StubBackend.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestGateway.redis(registry, TestRedis.shared());
        registry.add("QNSP_AUTH_URL", auth::url);
        registry.add("QNSP_VAULT_URL", vault::url);
    }

    @AfterAll
    static void stop() {
        auth.close();
        vault.close();
    }

    @LocalServerPort
    int port;

    WebTestClient client;

    @BeforeEach
    void client() {
        client = TestGateway.client(port);
    }

    @Test
    void theSwaggerUiConfigurationListsTheGatewayAndEachConfiguredService() {
        JsonNode config = JsonMapper.shared().readTree(client.get().uri("/v3/api-docs/swagger-config")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent());

        Map<String, String> urls = new HashMap<>();
        config.get("urls").forEach(url -> urls.put(url.get("name").asString(), url.get("url").asString()));
        assertThat(urls).containsExactlyInAnyOrderEntriesOf(Map.of(
                "gateway", "/v3/api-docs",
                "auth", "/docs/auth/v3/api-docs",
                "vault", "/docs/vault/v3/api-docs"));
    }

    @Test
    void theSwaggerUiItselfIsServed() {
        client.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
        String page = client.get().uri("/webjars/swagger-ui/index.html").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("swagger-ui");
    }

    @Test
    void aServicesDocumentIsFetchedFromItWithTheGatewayAsItsServer() {
        JsonNode document = JsonMapper.shared().readTree(client.get().uri("/docs/auth/v3/api-docs")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent());

        assertThat(auth.last("/v3/api-docs").method()).isEqualTo("GET");
        assertThat(document.at("/info/title").asString()).isEqualTo("stub");
        assertThat(document.at("/paths").has("/stub/v1/things")).isTrue();
        assertThat(document.get("servers")).hasSize(1);
        assertThat(document.at("/servers/0/url").asString()).isEqualTo("/");

        JsonNode stripped = JsonMapper.shared().readTree(client.get().uri("/docs/vault/v3/api-docs")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent());
        assertThat(stripped.at("/servers/0/url").asString()).isEqualTo("/vault");
    }

    @Test
    void theGatewaysOwnDocumentDescribesItsHealthEndpoints() {
        JsonNode document = JsonMapper.shared().readTree(client.get().uri("/v3/api-docs")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent());

        assertThat(document.get("paths").has("/health")).isTrue();
        assertThat(document.get("paths").has("/health/ready")).isTrue();
        assertThat(document.get("paths").has("/health/live")).isTrue();
    }

    @Test
    void onlyConfiguredServicesHaveADocumentRoute() {
        client.get().uri("/docs/kms/v3/api-docs").exchange().expectStatus().isNotFound();
    }
}
