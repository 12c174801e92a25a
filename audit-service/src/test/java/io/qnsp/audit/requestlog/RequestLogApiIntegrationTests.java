package io.qnsp.audit.requestlog;

import io.qnsp.audit.AuditApi;
import io.qnsp.audit.TestEvents;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The DataHub request-log endpoints over real HTTP: filters, pages, one entry, stats, scopes and tenants. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class RequestLogApiIntegrationTests {

    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcTemplate jdbc;

    TestEvents events;
    String tenant;
    AuditApi reader;

    @BeforeEach
    void setUp() {
        events = new TestEvents(redis, keys, json, jdbc);
        tenant = "tenant-" + UUID.randomUUID();
        reader = client(TestTokens.forTenant(tenant).subject("user-1").scopes("read:requests").mint());
    }

    /** Six requests of the tenant, oldest first, over two hours. */
    private void publishSample() {
        List.of(
                TestEvents.request(tenant, T0.plusSeconds(60), "POST", "/api/v1/keys", 201, 40, "key_a", false),
                TestEvents.request(tenant, T0.plusSeconds(120), "GET", "/api/v1/keys/1", 200, 10, "key_a", false),
                TestEvents.request(tenant, T0.plusSeconds(180), "GET", "/api/v1/keys", 429, 2, "key_b", true),
                TestEvents.request(tenant, T0.plusSeconds(3600), "GET", "/api/v1/requests", 200, 20, "key_b", false),
                TestEvents.request(tenant, T0.plusSeconds(3660), "DELETE", "/api/v1/keys/2", 404, 8, null, false),
                TestEvents.request(tenant, T0.plusSeconds(3720), "GET", "/api_v1x", 500, 100, "key_a", false))
                .forEach(events::publish);
        events.awaitRequestLogs(tenant, 6);
    }

    @Test
    void listsNewestFirstInTheSpecShapeWithPagination() {
        publishSample();

        ResponseEntity<JsonNode> response = get(reader, "/api/v1/requests");

        JsonNode body = success(response);
        assertThat(body.propertyNames()).containsExactly("success", "data", "pagination", "meta");
        assertThat(paths(body)).containsExactly("/api_v1x", "/api/v1/keys/2", "/api/v1/requests", "/api/v1/keys",
                "/api/v1/keys/1", "/api/v1/keys");
        assertThat(body.get("pagination").toString())
                .isEqualTo("{\"page\":1,\"pageSize\":20,\"totalItems\":6,\"totalPages\":1}");
        JsonNode oldest = body.get("data").get(5);
        assertThat(oldest.get("id").asString()).matches("req_[0-9a-f]{32}");
        assertThat(oldest.get("apiKeyId").asString()).isEqualTo("key_a");
        assertThat(oldest.get("method").asString()).isEqualTo("POST");
        assertThat(oldest.get("statusCode").asInt()).isEqualTo(201);
        assertThat(oldest.get("durationMs").asLong()).isEqualTo(40);
        assertThat(oldest.get("ipAddress").asString()).isEqualTo("192.168.1.100");
        assertThat(oldest.get("rateLimited").asBoolean()).isFalse();
        assertThat(oldest.get("timestamp").asString()).isEqualTo("2026-01-15T10:01:00Z");

        JsonNode second = success(get(reader, "/api/v1/requests?page=2&pageSize=4"));
        assertThat(paths(second)).containsExactly("/api/v1/keys/1", "/api/v1/keys");
        assertThat(second.get("pagination").toString())
                .isEqualTo("{\"page\":2,\"pageSize\":4,\"totalItems\":6,\"totalPages\":2}");
    }

    @Test
    void everyFilterNarrowsTheList() {
        publishSample();

        assertThat(paths(success(get(reader, "/api/v1/requests?keyId=key_b"))))
                .containsExactly("/api/v1/requests", "/api/v1/keys");
        assertThat(paths(success(get(reader, "/api/v1/requests?method=delete"))))
                .containsExactly("/api/v1/keys/2");
        // A prefix, with '_' taken literally rather than as a LIKE wildcard.
        assertThat(paths(success(get(reader, "/api/v1/requests?path=/api/v1/keys/"))))
                .containsExactly("/api/v1/keys/2", "/api/v1/keys/1");
        assertThat(paths(success(get(reader, "/api/v1/requests?path=/api_"))))
                .containsExactly("/api_v1x");
        assertThat(paths(success(get(reader, "/api/v1/requests?status=200"))))
                .containsExactly("/api/v1/requests", "/api/v1/keys/1");
        assertThat(paths(success(get(reader, "/api/v1/requests?rateLimited=true")))).containsExactly("/api/v1/keys");
        assertThat(success(get(reader, "/api/v1/requests?rateLimited=false")).get("data").size()).isEqualTo(5);
        assertThat(paths(success(get(reader,
                "/api/v1/requests?startDate=2026-01-15T10:02:00.001Z&endDate=2026-01-15T11:00:00Z"))))
                .containsExactly("/api/v1/requests", "/api/v1/keys");
        assertThat(success(get(reader, "/api/v1/requests?startDate=2026-01-15&endDate=2026-01-15"))
                .get("data").size()).isEqualTo(6);
        assertThat(success(get(reader, "/api/v1/requests?startDate=2026-01-16")).get("data").size()).isZero();
        assertThat(paths(success(get(reader, "/api/v1/requests?keyId=key_a&method=GET&status=500"))))
                .containsExactly("/api_v1x");
    }

    @Test
    void oneEntryHasEveryDocumentedField() {
        publishSample();
        String id = success(get(reader, "/api/v1/requests?method=POST")).get("data").get(0).get("id").asString();

        JsonNode data = success(get(reader, "/api/v1/requests/" + id)).get("data");

        assertThat(data.propertyNames()).contains("id", "apiKeyId", "method", "path", "queryParams", "headers",
                "body", "statusCode", "responseBody", "durationMs", "ipAddress", "userAgent", "timestamp");
        assertThat(data.get("id").asString()).isEqualTo(id);
        assertThat(data.get("path").asString()).isEqualTo("/api/v1/keys");
        assertThat(data.get("userAgent").asString()).isEqualTo("MyApp/1.0");
        assertThat(data.get("statusCode").asInt()).isEqualTo(201);
        assertThat(data.get("queryParams").size()).isZero();
    }

    @Test
    void statsSummariseAndSeriesPerPeriod() {
        publishSample();

        JsonNode data = success(get(reader, "/api/v1/requests/stats?period=hour")).get("data");

        // durations 2, 8, 10, 20, 40, 100: average 30; p95 interpolates 40 + 0.75 * 60 = 85
        assertThat(data.get("summary").toString()).isEqualTo("{\"totalRequests\":6,\"successfulRequests\":3,"
                + "\"failedRequests\":3,\"rateLimitedRequests\":1,\"avgDurationMs\":30,\"p95DurationMs\":85}");
        assertThat(data.get("timeSeries").toString()).isEqualTo("["
                + "{\"timestamp\":\"2026-01-15T10:00:00Z\",\"requests\":3,\"errors\":1,\"avgDurationMs\":17,"
                + "\"rateLimited\":1},"
                + "{\"timestamp\":\"2026-01-15T11:00:00Z\",\"requests\":3,\"errors\":2,\"avgDurationMs\":43,"
                + "\"rateLimited\":0}]");

        JsonNode byKey = success(get(reader, "/api/v1/requests/stats?keyId=key_b&period=minute")).get("data");
        assertThat(byKey.get("summary").get("totalRequests").asLong()).isEqualTo(2);
        assertThat(byKey.get("timeSeries").size()).isEqualTo(2);
        assertThat(byKey.get("timeSeries").get(0).get("timestamp").asString()).isEqualTo("2026-01-15T10:03:00Z");

        JsonNode ranged = success(get(reader, "/api/v1/requests/stats?period=day"
                + "&startDate=2026-01-15T11:00:00Z&endDate=2026-01-15T12:00:00Z")).get("data");
        assertThat(ranged.get("summary").get("totalRequests").asLong()).isEqualTo(3);
        assertThat(ranged.get("timeSeries").toString()).isEqualTo("[{\"timestamp\":\"2026-01-15T00:00:00Z\","
                + "\"requests\":3,\"errors\":2,\"avgDurationMs\":43,\"rateLimited\":0}]");
    }

    @Test
    void statsOfNoRequestsAreZero() {
        JsonNode data = success(get(reader, "/api/v1/requests/stats")).get("data");

        assertThat(data.get("summary").toString()).isEqualTo("{\"totalRequests\":0,\"successfulRequests\":0,"
                + "\"failedRequests\":0,\"rateLimitedRequests\":0,\"avgDurationMs\":0,\"p95DurationMs\":0}");
        assertThat(data.get("timeSeries").size()).isZero();
    }

    @Test
    void anotherTenantsEntriesAreNeitherListedNorFound() {
        publishSample();
        String id = success(get(reader, "/api/v1/requests")).get("data").get(0).get("id").asString();
        String other = "tenant-" + UUID.randomUUID();
        AuditApi stranger = client(TestTokens.forTenant(other).subject("user-2").scopes("read:requests").mint());
        events.publish(TestEvents.request(other, T0, "GET", "/mine", 200, 1, "key_z", false));
        events.awaitRequestLogs(other, 1);

        JsonNode list = success(get(stranger, "/api/v1/requests"));
        assertThat(paths(list)).containsExactly("/mine");
        assertThat(success(get(stranger, "/api/v1/requests/stats")).get("data").get("summary")
                .get("totalRequests").asLong()).isEqualTo(1);
        JsonNode error = error(get(stranger, "/api/v1/requests/" + id), 404, "NOT_FOUND");
        assertThat(error.get("details").get("field").asString()).isEqualTo("id");
        error(get(reader, "/api/v1/requests/req_" + "0".repeat(32)), 404, "NOT_FOUND");
        error(get(reader, "/api/v1/requests/not-an-id"), 404, "NOT_FOUND");
    }

    @Test
    void theScopeOrTheAdminRoleIsRequired() {
        publishSample();
        AuditApi noScope = client(TestTokens.forTenant(tenant).subject("user-1").scopes("read:keys").mint());
        AuditApi admin = client(TestTokens.forTenant(tenant).subject("admin-1").roles("admin").mint());

        error(get(noScope, "/api/v1/requests"), 403, "INSUFFICIENT_SCOPE");
        error(get(noScope, "/api/v1/requests/stats"), 403, "INSUFFICIENT_SCOPE");
        error(get(noScope, "/api/v1/requests/req_" + "0".repeat(32)), 403, "INSUFFICIENT_SCOPE");
        assertThat(get(client(null), "/api/v1/requests").getStatusCode().value()).isEqualTo(401);
        assertThat(success(get(admin, "/api/v1/requests")).get("data").size()).isEqualTo(6);
    }

    @Test
    void badParametersAreRefusedNamingTheField() {
        validation(get(reader, "/api/v1/requests?status=abc"), "status");
        validation(get(reader, "/api/v1/requests?status=99"), "status");
        validation(get(reader, "/api/v1/requests?rateLimited=maybe"), "rateLimited");
        validation(get(reader, "/api/v1/requests?page=0"), "page");
        validation(get(reader, "/api/v1/requests?pageSize=101"), "pageSize");
        validation(get(reader, "/api/v1/requests?pageSize=x"), "pageSize");
        validation(get(reader, "/api/v1/requests?method=G3T"), "method");
        validation(get(reader, "/api/v1/requests?startDate=yesterday"), "startDate");
        validation(get(reader, "/api/v1/requests?endDate=2026-13-01"), "endDate");
        validation(get(reader, "/api/v1/requests?startDate=2026-01-16&endDate=2026-01-15"), "endDate");
        validation(get(reader, "/api/v1/requests/stats?period=week"), "period");
        validation(get(reader, "/api/v1/requests/stats?period=minute"
                + "&startDate=2020-01-01T00:00:00Z&endDate=2026-01-01T00:00:00Z"), "period");
    }

    private AuditApi client(String token) {
        return AuditApi.withToken(port, token);
    }

    private static ResponseEntity<JsonNode> get(AuditApi client, String uri) {
        return client.get(uri);
    }

    private static JsonNode success(ResponseEntity<JsonNode> response) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(200);
        JsonNode body = response.getBody();
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("meta").get("requestId").asString())
                .isEqualTo(response.getHeaders().getFirst("X-Request-Id"));
        return body;
    }

    private static JsonNode error(ResponseEntity<JsonNode> response, int status, String code) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        JsonNode body = response.getBody();
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("error").get("code").asString()).as("%s", body).isEqualTo(code);
        return body.get("error");
    }

    private static void validation(ResponseEntity<JsonNode> response, String field) {
        JsonNode error = error(response, 400, "VALIDATION_ERROR");
        assertThat(error.get("details").get("field").asString()).as("%s", error).isEqualTo(field);
    }

    private static List<String> paths(JsonNode body) {
        List<String> paths = new ArrayList<>();
        body.get("data").forEach(item -> paths.add(item.get("path").asString()));
        return paths;
    }
}
