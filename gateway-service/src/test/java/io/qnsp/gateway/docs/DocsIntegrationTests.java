package io.qnsp.gateway.docs;

import io.qnsp.gateway.GatewayApplication;
import io.qnsp.gateway.web.StubBackend;
import io.qnsp.gateway.web.TestGateway;
import io.qnsp.test.contract.ApiDocumentRules;
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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Swagger UI at the gateway lists the gateway's document and that of every service its routing table leads to,
 * each rewritten for clients of the gateway. The routing table here is the test's own (it replaces the configured
 * one as a whole): an auth service, an audit service behind three routes, two of them stripping {@code /audit}, a
 * billing service added like any new one, only by its route, and a kms route to a service that is not running.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DocsIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String ROUTES = "spring.cloud.gateway.server.webflux.routes";

    private static final StubBackend auth = StubBackend.start().apiDocument(resource("auth.json"));
    private static final StubBackend audit = StubBackend.start().apiDocument(resource("audit.json"));
    private static final StubBackend billing = StubBackend.start().apiDocument(resource("billing.json"));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestGateway.redis(registry, TestRedis.shared());
        route(registry, 0, "auth", auth.url(), "/auth/**,/oauth2/**,/api/v1/keys/**,/api/v1/keys", null);
        route(registry, 1, "audit-stream", audit.url(), "/audit/v1/streaming/events", "StripPrefix=1");
        route(registry, 2, "audit", audit.url(), "/audit/v1/**", "StripPrefix=1");
        route(registry, 3, "audit-datahub", audit.url(), "/api/v1/requests/**,/api/v1/requests", null);
        route(registry, 4, "kms", StubBackend.refusingUrl(), "/kms/v1/**", null);
        // the one line a new service needs
        route(registry, 5, "billing", billing.url(), "/billing/v1/**", "StripPrefix=1");
    }

    private static void route(DynamicPropertyRegistry registry, int index, String id, String uri, String paths,
                              String filter) {
        String route = ROUTES + "[" + index + "]";
        registry.add(route + ".id", () -> id);
        registry.add(route + ".uri", () -> uri);
        registry.add(route + ".predicates[0]", () -> "Path=" + paths);
        if (filter != null) {
            registry.add(route + ".filters[0]", () -> filter);
        }
    }

    @AfterAll
    static void stop() {
        auth.close();
        audit.close();
        billing.close();
    }

    @LocalServerPort
    int port;

    WebTestClient client;

    @BeforeEach
    void client() {
        client = TestGateway.client(port);
    }

    @Test
    void theSwaggerUiListsTheGatewayAndEveryRoutedServiceByTheRoutingTableAlone() {
        JsonNode config = json(client.get().uri("/v3/api-docs/swagger-config"));

        Map<String, String> urls = new LinkedHashMap<>();
        config.get("urls").forEach(url -> urls.put(url.get("name").asString(), url.get("url").asString()));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("gateway", "/v3/api-docs");
        for (String service : List.of("auth", "audit", "kms", "billing")) {
            expected.put(service, "/docs/" + service + "/v3/api-docs");
        }
        // the UI orders them itself; the gateway's own is the one it opens with
        assertThat(urls).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(config.get("urls.primaryName").asString()).isEqualTo("gateway");
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
    void aServicesDocumentHasItsPathsAsTheGatewayExposesThemAndTheGatewayAsItsServer() {
        JsonNode document = json(client.get().uri("/docs/audit/v3/api-docs"));

        assertThat(audit.last("/v3/api-docs").method()).isEqualTo("GET");
        assertThat(document.at("/info/title").asString()).isEqualTo("QNSP audit-service");
        // /v1/** behind the routes that strip /audit, /api/v1/requests as it is; the internal path no route leads to
        // is not reachable through the gateway, nor is the schema only it used
        assertThat(names(document.get("paths"))).containsExactly("/api/v1/requests", "/audit/v1/events",
                "/audit/v1/events/{eventId}", "/audit/v1/streaming/events");
        assertThat(document.at("/paths/~1audit~1v1~1events/get/operationId").asString()).isEqualTo("listAuditEvents");
        assertThat(document.at("/components/schemas").has("ReindexReport")).isFalse();
        assertThat(document.at("/components/schemas").has("ReindexBatch")).isFalse();
        assertThat(document.at("/components/schemas").has("StoredEvent")).isTrue();
        assertThat(document.get("servers")).hasSize(1);
        assertThat(document.at("/servers/0/url").asString()).isEqualTo("/");
        assertThat(ApiDocumentRules.violations(document.toString())).isEmpty();
    }

    @Test
    void everySecuredOperationAlsoTakesAnApiKeyAndDocumentsTheGatewaysOwnFailuresInItsPathsFamily() {
        JsonNode document = json(client.get().uri("/docs/audit/v3/api-docs"));

        JsonNode events = document.at("/paths/~1audit~1v1~1events/get");
        assertThat(events.get("security").toString()).isEqualTo("[{\"bearerJwt\":[]},{\"apiKey\":[]}]");
        assertThat(document.at("/components/securitySchemes/apiKey/name").asString()).isEqualTo("X-API-Key");
        assertThat(names(events.get("responses"))).containsExactly("200", "400", "401", "403", "429", "503");
        for (String status : List.of("401", "403", "429", "503")) {
            assertThat(events.at("/responses/" + status + "/content/application~1json/schema/$ref").asString())
                    .isEqualTo("#/components/schemas/QnspError");
        }
        assertThat(events.at("/responses/429/headers/Retry-After/required").asBoolean()).isTrue();
        assertThat(events.at("/responses/403/description").asString()).contains("suspended or cancelled for billing");
        // the DataHub paths answer the gateway's failures in the DataHub format
        JsonNode requests = document.at("/paths/~1api~1v1~1requests/get");
        assertThat(requests.at("/responses/429/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/DataHubError");
        assertThat(requests.at("/responses/503/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/DataHubError");
    }

    @Test
    void pathsTheGatewayLetsThroughStayAsTheServiceDocumentsThemAndUnroutedOnesAreLeftOut() {
        JsonNode document = json(client.get().uri("/docs/auth/v3/api-docs"));

        assertThat(names(document.get("paths"))).containsExactly("/auth/admin/tenants/{tenantId}", "/oauth2/jwks");
        JsonNode jwks = document.at("/paths/~1oauth2~1jwks/get");
        assertThat(jwks.get("security")).isEmpty();
        // the gateway's per-address limit on paths open without credentials
        assertThat(names(jwks.get("responses"))).containsExactly("200", "406", "429", "503");
        assertThat(jwks.at("/responses/429/headers/Retry-After/required").asBoolean()).isTrue();
        assertThat(jwks.at("/responses/429/headers/X-RateLimit-Limit").isMissingNode()).isTrue();
        assertThat(document.at("/paths/~1auth~1admin~1tenants~1{tenantId}/get/security").toString())
                .isEqualTo("[{\"bearerJwt\":[]},{\"apiKey\":[]}]");
        assertThat(ApiDocumentRules.violations(document.toString())).isEmpty();
    }

    @Test
    void aNewServicesDocumentGetsTheErrorSchemasAndSchemesItLacksAndKeepsItsOwnErrorBodies() {
        JsonNode document = json(client.get().uri("/docs/billing/v3/api-docs"));

        assertThat(names(document.get("paths"))).containsExactly("/billing/v1/invoices");
        JsonNode create = document.at("/paths/~1billing~1v1~1invoices/post");
        // a suspended tenant may still reach billing-service: no 403 from the gateway there
        assertThat(names(create.get("responses"))).containsExactly("201", "401", "413", "429", "503");
        assertThat(create.at("/responses/401/content/application~1json/schema/oneOf").toString())
                .isEqualTo("[{\"$ref\":\"#/components/schemas/BillingProblem\"},"
                        + "{\"$ref\":\"#/components/schemas/QnspError\"}]");
        assertThat(create.at("/responses/401/description").asString()).startsWith("Not authenticated; or, from the "
                + "gateway: ");
        assertThat(document.at("/components/schemas/QnspError/required")).isNotEmpty();
        assertThat(document.at("/components/securitySchemes").has("apiKey")).isTrue();
        assertThat(ApiDocumentRules.violations(document.toString())).isEmpty();
    }

    @Test
    void theDocumentOfAServiceThatIsNotRunningIsA503NamingIt() {
        JsonNode error = JSON.readTree(client.get().uri("/docs/kms/v3/api-docs").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().returnResult().getResponseBodyContent());

        assertThat(error.get("error").asString()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(error.get("message").asString()).contains("kms").contains("not running");
        assertThat(error.at("/details/service").asString()).isEqualTo("kms");
        assertThat(error.at("/details/reason").asString()).isEqualTo("unreachable");
    }

    @Test
    void onlyRoutedServicesHaveADocumentRoute() {
        client.get().uri("/docs/vault/v3/api-docs").exchange().expectStatus().isNotFound();
    }

    @Test
    void theGatewaysOwnDocumentDescribesItsHealthAndRateLimitStatusEndpoints() {
        String text = new String(client.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent(), StandardCharsets.UTF_8);
        JsonNode document = JSON.readTree(text);

        assertThat(ApiDocumentRules.violations(text)).isEmpty();
        for (String path : List.of("/health", "/health/ready", "/health/live", "/health/services")) {
            JsonNode health = document.path("paths").path(path).path("get");
            assertThat(health.get("security")).as(path).isEmpty();
            assertThat(health.at("/responses/200/content/application~1json/schema/$ref").asString()).as(path)
                    .startsWith("#/components/schemas/");
        }
        assertThat(names(document.at("/paths/~1health~1ready/get/responses"))).contains("200", "503");
        JsonNode status = document.at("/paths/~1api~1v1~1rate-limits~1status/get");
        assertThat(status.get("operationId").asString()).isEqualTo("getRateLimitStatus");
        assertThat(status.get("security").toString()).isEqualTo("[{\"bearerJwt\":[]},{\"apiKey\":[]}]");
        assertThat(status.at("/responses/200/content/application~1json/schema/properties/data/$ref").asString())
                .isEqualTo("#/components/schemas/RateLimitStatus");
        for (String failure : List.of("401", "403")) {
            assertThat(status.at("/responses/" + failure + "/content/application~1json/schema/$ref").asString())
                    .isEqualTo("#/components/schemas/DataHubError");
        }
        assertThat(document.at("/components/schemas/RateLimitWindows/properties").has("perMinute")).isTrue();
    }

    private JsonNode json(WebTestClient.RequestHeadersSpec<?> request) {
        return JSON.readTree(request.exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    private static String resource(String name) {
        try (InputStream in = DocsIntegrationTests.class.getResourceAsStream("/docs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
