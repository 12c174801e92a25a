package io.qnsp.kpi;

import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls a running kpi-service over real HTTP as one caller; never throws on an error status. */
public final class KpiClient extends ServiceApi {

    public static final String BASE = "/api/v1/storage/kpi";

    private final RestClient http;

    private KpiClient(RestClient http) {
        super(http);
        this.http = http;
    }

    public static KpiClient withToken(int port, String token) {
        return new KpiClient(client(port, token));
    }

    /** A caller of the tenant holding both KPI scopes. */
    public static KpiClient of(int port, String tenant) {
        return withScopes(port, tenant, KpiScopes.READ, KpiScopes.WRITE);
    }

    public static KpiClient withScopes(int port, String tenant, String... scopes) {
        return withToken(port, TestTokens.forTenant(tenant).subject("analyst-1").scopes(scopes).mint());
    }

    /** Posts JSON with an {@code X-Request-Id}. */
    public ResponseEntity<JsonNode> post(String path, String requestId, Object body) {
        return http.post().uri(path).header("X-Request-Id", requestId).contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().toEntity(JsonNode.class);
    }

    /** Posts the text as it is with an {@code X-Request-Id}. */
    public ResponseEntity<JsonNode> postJson(String path, String requestId, String json) {
        return http.post().uri(path).header("X-Request-Id", requestId).contentType(MediaType.APPLICATION_JSON)
                .body(json).retrieve().toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> get(String path, String requestId) {
        return http.get().uri(path).header("X-Request-Id", requestId).retrieve().toEntity(JsonNode.class);
    }

    /** Defines a KPI; fails the test unless it is created. */
    public JsonNode define(String kpi, String aggregation, String... dimensions) {
        return expect(post(BASE + "/kpis", body("kpi", kpi, "aggregation", aggregation, "dimensions",
                List.of(dimensions))), 201);
    }

    /** Ingests the samples; fails the test unless all are accepted. */
    public void ingest(String kpi, List<Map<String, Object>> samples) {
        for (int from = 0; from < samples.size(); from += 1000) {
            JsonNode answer = expect(post(BASE + "/ingest", body("kpi", kpi, "samples",
                    new ArrayList<>(samples.subList(from, Math.min(samples.size(), from + 1000))))), 200);
            assertThat(answer.get("accepted").asInt()).isEqualTo(Math.min(1000, samples.size() - from));
        }
    }

    public ResponseEntity<JsonNode> query(Map<String, Object> request) {
        return post(BASE + "/query", request);
    }

    public static Map<String, Object> sample(String ts, double value, Map<String, String> dimensions) {
        return body("ts", ts, "value", value, "dimensions", dimensions);
    }

    public static Map<String, Object> window(String from, String to) {
        return body("from", from, "to", to);
    }
}
