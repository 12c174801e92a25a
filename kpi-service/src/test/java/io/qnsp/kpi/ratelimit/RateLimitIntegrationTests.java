package io.qnsp.kpi.ratelimit;

import io.qnsp.kpi.KpiClient;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.qnsp.kpi.KpiAssertions.assertError;
import static io.qnsp.test.http.ApiAssertions.ok;
import static io.qnsp.kpi.KpiClient.BASE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spec 000's default rate limit, 10 requests per second per tenant (bursts of 10), per endpoint: a burst beyond it
 * is refused with 429 {@code rate_limited} and {@code Retry-After}, never more admitted than the bucket allows in the
 * time the burst took, and neither another tenant nor another endpoint is affected. The limits are documented per
 * endpoint in the API document.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class RateLimitIntegrationTests {

    static final int REQUESTS = 60;

    @LocalServerPort
    int port;

    @Test
    void aBurstBeyondTenRequestsIsRefusedForThatTenantAndEndpointOnly() throws Exception {
        KpiClient api = KpiClient.of(port, "tenant-" + UUID.randomUUID());
        List<ResponseEntity<JsonNode>> answers = new ArrayList<>();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            List<Future<ResponseEntity<JsonNode>>> calls = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                calls.add(pool.submit(() -> api.get(BASE + "/kpis")));
            }
            for (Future<ResponseEntity<JsonNode>> call : calls) {
                answers.add(call.get());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        long admitted = answers.stream().filter(a -> a.getStatusCode().value() == 200).count();
        List<ResponseEntity<JsonNode>> refused = answers.stream().filter(a -> a.getStatusCode().value() != 200)
                .toList();
        // a bucket of 10 refilled at 10 per second cannot have admitted more, however long the burst took
        assertThat(admitted).isLessThanOrEqualTo(10 + (long) Math.ceil(10 * seconds));
        assertThat(admitted).isGreaterThanOrEqualTo(10);
        assertThat(refused).isNotEmpty();
        for (ResponseEntity<JsonNode> answer : refused) {
            JsonNode body = assertError(answer, 429, "rate_limited");
            assertThat(body.get("details").get("endpoint").asString()).isEqualTo("listKpis");
            assertThat(body.get("details").get("requestsPerSecond").asDouble()).isEqualTo(10.0);
            assertThat(body.get("details").get("burst").asLong()).isEqualTo(10);
            assertThat(Long.parseLong(answer.getHeaders().getFirst("Retry-After"))).isPositive();
        }

        // its other endpoints have buckets of their own, and other tenants are not affected at all
        ok(api.get(BASE + "/dimensions?name=region"));
        ok(KpiClient.of(port, "tenant-" + UUID.randomUUID()).get(BASE + "/kpis"));
    }

    @Test
    void eachEndpointsLimitIsInTheApiDocument() {
        JsonNode document = ok(KpiClient.withToken(port, null).get("/v3/api-docs"));
        JsonNode paths = document.get("paths");
        String[][] operations = {{"/api/v1/storage/kpi/query", "post"}, {"/api/v1/storage/kpi/kpis", "get"},
                {"/api/v1/storage/kpi/dimensions", "get"}, {"/api/v1/storage/kpi/ingest", "post"}};
        for (String[] operation : operations) {
            JsonNode described = paths.get(operation[0]).get(operation[1]);
            assertThat(described.get("x-rate-limit").get("requestsPerSecond").asDouble()).isEqualTo(10.0);
            assertThat(described.get("x-rate-limit").get("burst").asLong()).isEqualTo(10);
            assertThat(described.get("description").asString()).contains("Rate limit: 10 requests per second");
            assertThat(described.get("responses").get("429").get("content").get("application/json").get("schema")
                    .get("$ref").asString()).endsWith("/KpiError");
            assertThat(described.get("responses").has("503")).isTrue();
            assertThat(described.get("responses").has("409")).isTrue();
        }
    }
}
