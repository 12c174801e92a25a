package io.qnsp.kpi.web;

import io.qnsp.kpi.KpiClient;
import io.qnsp.kpi.KpiIntegrationTest;
import io.qnsp.kpi.KpiScopes;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.kpi.KpiAssertions.assertError;
import static io.qnsp.kpi.KpiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.ok;
import static io.qnsp.kpi.KpiClient.BASE;
import static io.qnsp.kpi.KpiClient.body;
import static io.qnsp.kpi.KpiClient.sample;
import static io.qnsp.kpi.KpiClient.window;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spec 000's error model on every endpoint: {@code {"error": <the table's code>, …}} for 400, 401, 403, 404 and 409,
 * each 400 naming its field; another tenant's KPIs answer 404. (429 and 503 have tests of their own, as has 500.)
 */
@KpiIntegrationTest
class ErrorModelIntegrationTests {

    static final String[][] ENDPOINTS = {{"POST", "/query"}, {"GET", "/kpis"}, {"GET", "/dimensions?name=region"},
            {"POST", "/kpis"}, {"POST", "/kpis/orders/contracts"}, {"POST", "/ingest"}};

    @LocalServerPort
    int port;

    String tenant;
    KpiClient api;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = KpiClient.of(port, tenant);
        api.define("orders", "sum", "region");
    }

    @Test
    void withoutValidCredentialsEveryEndpointAnswersUnauthorized() {
        for (String token : new String[]{null, "not-a-jwt", TestTokens.forTenant(tenant).expired().mint(),
                TestTokens.forTenant(tenant).wrongSignature().mint()}) {
            KpiClient caller = KpiClient.withToken(port, token);
            for (String[] endpoint : ENDPOINTS) {
                assertError(call(caller, endpoint), 401, "unauthorized");
            }
        }
    }

    @Test
    void withoutTheScopeEveryEndpointAnswersForbidden() {
        KpiClient reader = KpiClient.withScopes(port, tenant, KpiScopes.READ);
        KpiClient writer = KpiClient.withScopes(port, tenant, KpiScopes.WRITE);
        for (String[] endpoint : ENDPOINTS) {
            boolean reads = endpoint[0].equals("GET") || endpoint[1].equals("/query");
            JsonNode body = assertError(call(reads ? writer : reader, endpoint), 403, "forbidden");
            assertThat(body.get("details").get("reason").asString()).isEqualTo("insufficient_scope");
            assertThat(body.get("details").get("missingScopes").get(0).asString())
                    .isEqualTo(reads ? KpiScopes.READ : KpiScopes.WRITE);
        }
        // a caller of no tenant has no series to read
        KpiClient operator = KpiClient.withToken(port, TestTokens.withoutTenant().scopes(KpiScopes.READ).mint());
        assertError(operator.get(BASE + "/kpis"), 403, "forbidden");
    }

    @Test
    void anotherTenantsKpiIsNotFound() {
        api.ingest("orders", List.of(sample("2025-10-01T00:00:00Z", 5, Map.of("region", "IN"))));
        KpiClient other = KpiClient.of(port, "tenant-" + UUID.randomUUID());
        Map<String, Object> query = body("kpi", "orders", "window", window("2025-10-01", "2025-10-02"));
        assertThat(ok(api.query(query)).get("points").size()).isEqualTo(1);

        assertThat(assertError(other.query(query), 404, "not_found").get("details").get("field").asString())
                .isEqualTo("kpi");
        assertError(other.post(BASE + "/ingest", body("kpi", "orders", "samples",
                List.of(sample("2025-10-01T00:00:00Z", 1, Map.of())))), 404, "not_found");
        assertError(other.post(BASE + "/kpis/orders/contracts", body("basedOn", "v1")), 404, "not_found");
        assertError(other.get(BASE + "/dimensions?name=region&kpi=orders"), 404, "not_found");
        assertThat(ok(other.get(BASE + "/dimensions?name=region")).get("items").size()).isZero();

        // the same name defined by the other tenant is its own KPI, with its own series
        other.define("orders", "sum", "region");
        assertThat(ok(other.query(query)).get("points").size()).isZero();
    }

    @Test
    void unknownPathsAndMethodsAnswerInTheTablesCodes() {
        assertError(api.get(BASE + "/nothing-here"), 404, "not_found");
        JsonNode method = assertError(api.delete(BASE + "/kpis"), 405, "invalid_request");
        assertThat(method.get("details").get("reason").asString()).isEqualTo("method_not_allowed");
    }

    @Test
    void everyQueryFieldIsChecked() {
        Map<String, Object> window = window("2025-10-01", "2025-10-02");
        assertFieldRefused(api.postJson(BASE + "/query", "{\"kpi\": \"orders\", "), "body");
        assertFieldRefused(api.postJson(BASE + "/query", ""), "body");
        assertFieldRefused(api.query(body("window", window)), "kpi");
        assertFieldRefused(api.query(body("kpi", "orders")), "window");
        assertFieldRefused(api.query(body("kpi", "orders", "window", body("to", "2025-10-02"))), "window.from");
        assertFieldRefused(api.query(body("kpi", "orders", "window", window("2025-10-01", "yesterday"))),
                "window.to");
        assertFieldRefused(api.query(body("kpi", "orders", "window", window("2025-10-02", "2025-10-01T00:00:00Z"))),
                "window.to");
        assertFieldRefused(api.query(body("kpi", "orders", "window", window("2025-10-01T00:00:00", "2025-10-02"))),
                "window.from");
        assertFieldRefused(api.query(body("kpi", "orders", "window", window, "granularity", "fortnight")),
                "granularity");
        assertFieldRefused(api.query(body("kpi", "orders", "window", window("2000-01-01", "2025-10-01"),
                "granularity", "minute")), "granularity");
        assertFieldRefused(api.query(body("kpi", "orders", "window", window, "aggregation", "median")),
                "aggregation");
        assertFieldRefused(api.query(body("kpi", "orders", "window", window, "confidence", 1.5)), "confidence");
        assertFieldRefused(api.query(body("kpi", "orders", "window", window, "confidence", "high")), "confidence");
        assertFieldRefused(api.query(body("kpi", "orders", "window", window, "filters",
                Map.of("channel", List.of("web")))), "filters.channel");
        assertFieldRefused(api.query(body("kpi", "orders", "window", window, "filters",
                Map.of("region", List.of()))), "filters.region");
        assertFieldRefused(api.query(body("kpi", "orders", "window", window, "filters", Map.of("region", "IN"))),
                "filters.region");
        assertError(api.query(body("kpi", "missing", "window", window)), 404, "not_found");
    }

    @Test
    void everyIngestFieldIsChecked() {
        assertFieldRefused(api.post(BASE + "/ingest", body("kpi", "orders")), "samples");
        assertFieldRefused(api.post(BASE + "/ingest", body("kpi", "orders", "samples", List.of())), "samples");
        assertFieldRefused(api.post(BASE + "/ingest", body("samples", List.of())), "kpi");
        assertFieldRefused(api.post(BASE + "/ingest", body("kpi", "orders", "samples",
                List.of(body("value", 1)))), "samples[0].ts");
        assertFieldRefused(api.post(BASE + "/ingest", body("kpi", "orders", "samples",
                List.of(sample("2025-10-01T00:00:00Z", 1, Map.of()), body("ts", "2025-10-01T00:00:00Z")))),
                "samples[1].value");
        assertFieldRefused(api.postJson(BASE + "/ingest", "{\"kpi\":\"orders\",\"samples\":[{\"ts\":\"2025-10-01\","
                + "\"value\":1}]}"), "samples[0].ts");
        assertFieldRefused(api.postJson(BASE + "/ingest", "{\"kpi\":\"orders\",\"samples\":[{\"ts\":"
                + "\"2025-10-01T00:00:00Z\",\"value\":\"many\"}]}"), "samples[0].value");
        assertFieldRefused(api.post(BASE + "/ingest", body("kpi", "orders", "samples",
                List.of(sample("2025-10-01T00:00:00Z", 1, Map.of("region", "x".repeat(257)))))),
                "samples[0].dimensions.region");
        assertFieldRefused(api.post(BASE + "/ingest", body("kpi", "orders", "samples",
                List.of(sample("1800-10-01T00:00:00Z", 1, Map.of())))), "samples[0].ts");
        assertThat(ok(api.query(body("kpi", "orders", "window", window("1900-01-01", "2025-12-31"),
                "granularity", "window"))).get("points").size()).as("nothing of a refused batch is stored").isZero();
    }

    private org.springframework.http.ResponseEntity<JsonNode> call(KpiClient caller, String[] endpoint) {
        String path = BASE + endpoint[1];
        if (endpoint[0].equals("GET")) {
            return caller.get(path);
        }
        Object body = switch (endpoint[1]) {
            case "/query" -> body("kpi", "orders", "window", window("2025-10-01", "2025-10-02"));
            case "/kpis" -> body("kpi", "more_orders");
            case "/ingest" -> body("kpi", "orders", "samples", List.of(sample("2025-10-01T00:00:00Z", 1, Map.of())));
            default -> body("basedOn", "v1");
        };
        return caller.post(path, body);
    }
}
