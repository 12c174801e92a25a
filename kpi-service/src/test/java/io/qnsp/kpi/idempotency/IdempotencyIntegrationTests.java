package io.qnsp.kpi.idempotency;

import io.qnsp.kpi.KpiClient;
import io.qnsp.kpi.KpiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.qnsp.kpi.KpiAssertions.assertError;
import static io.qnsp.kpi.KpiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.ok;
import static io.qnsp.kpi.KpiClient.BASE;
import static io.qnsp.kpi.KpiClient.body;
import static io.qnsp.kpi.KpiClient.sample;
import static io.qnsp.kpi.KpiClient.window;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code X-Request-Id} as spec 000's idempotency key: the same id and request get the first answer again without
 * being served again; the same id with another request is a 409 {@code version_conflict}; ids are per tenant.
 */
@KpiIntegrationTest
class IdempotencyIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    IdempotencySweep sweep;

    String tenant;
    KpiClient api;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = KpiClient.of(port, tenant);
        api.define("revenue", "sum", "region");
    }

    @Test
    void aRetriedIngestIsStoredOnceAndAnsweredAsTheFirstTime() {
        Map<String, Object> batch = body("kpi", "revenue", "samples", List.of(
                sample("2025-10-01T10:00:00Z", 10, Map.of("region", "IN")),
                sample("2025-10-01T11:00:00Z", 20, Map.of("region", "IN"))));
        ResponseEntity<JsonNode> first = api.post(BASE + "/ingest", "ingest-1", batch);
        ResponseEntity<JsonNode> retry = api.post(BASE + "/ingest", "ingest-1", batch);

        assertThat(ok(first).get("accepted").asInt()).isEqualTo(2);
        assertThat(ok(retry)).isEqualTo(first.getBody());
        assertThat(retry.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.getHeaders().getFirst("Idempotent-Replayed")).isNull();
        assertThat(total()).isEqualTo(30.0);
    }

    @Test
    void aRepeatedQueryGetsItsFirstAnswerEvenAfterTheDataChanged() {
        api.ingest("revenue", List.of(sample("2025-10-01T10:00:00Z", 10, Map.of("region", "IN"))));
        String query = "{\"kpi\":\"revenue\",\"window\":{\"from\":\"2025-10-01\",\"to\":\"2025-10-01\"}}";
        // the same JSON value: keys in another order, other white space
        String sameQuery = "{ \"window\": { \"to\": \"2025-10-01\", \"from\": \"2025-10-01\" },\n \"kpi\": \"revenue\" }";
        JsonNode first = ok(api.postJson(BASE + "/query", "q-1", query));
        api.ingest("revenue", List.of(sample("2025-10-01T12:00:00Z", 5, Map.of("region", "IN"))));

        ResponseEntity<JsonNode> again = api.postJson(BASE + "/query", "q-1", sameQuery);
        assertThat(ok(again)).isEqualTo(first);
        assertThat(first.get("points").get(0).get("value").asDouble()).isEqualTo(10.0);
        assertThat(ok(api.postJson(BASE + "/query", "q-2", query)).get("points").get(0).get("value").asDouble())
                .isEqualTo(15.0);

        ResponseEntity<JsonNode> page = api.get(BASE + "/dimensions?name=region", "dims-1");
        assertThat(ok(api.get(BASE + "/dimensions?name=region", "dims-1"))).isEqualTo(page.getBody());
        assertConflict(api.get(BASE + "/dimensions?name=region&limit=5", "dims-1"),
                RequestIdConflict.DIFFERENT_REQUEST);
    }

    @Test
    void theSameIdWithAnotherRequestIsAConflictAndChangesNothing() {
        ok(api.post(BASE + "/ingest", "batch-7", body("kpi", "revenue", "samples",
                List.of(sample("2025-10-01T10:00:00Z", 10, Map.of())))));
        assertConflict(api.post(BASE + "/ingest", "batch-7", body("kpi", "revenue", "samples",
                List.of(sample("2025-10-01T10:00:00Z", 99, Map.of())))), RequestIdConflict.DIFFERENT_REQUEST);
        assertConflict(api.post(BASE + "/query", "batch-7", body("kpi", "revenue",
                "window", window("2025-10-01", "2025-10-02"))), RequestIdConflict.DIFFERENT_REQUEST);
        assertThat(total()).isEqualTo(10.0);
    }

    @Test
    void concurrentRequestsWithOneIdAreServedOnce() throws Exception {
        Map<String, Object> batch = body("kpi", "revenue", "samples",
                List.of(sample("2025-10-01T10:00:00Z", 3, Map.of())));
        List<ResponseEntity<JsonNode>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<ResponseEntity<JsonNode>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> api.post(BASE + "/ingest", "racing", batch)));
            }
            for (Future<ResponseEntity<JsonNode>> call : calls) {
                answers.add(call.get());
            }
        }
        assertThat(total()).isEqualTo(3.0);
        long served = answers.stream().filter(a -> a.getStatusCode().value() == 200
                && a.getHeaders().getFirst("Idempotent-Replayed") == null).count();
        assertThat(served).isEqualTo(1);
        for (ResponseEntity<JsonNode> answer : answers) {
            if (answer.getStatusCode().value() == 409) {
                assertConflict(answer, RequestIdConflict.IN_PROGRESS);
            } else {
                assertThat(ok(answer).get("accepted").asInt()).isEqualTo(1);
            }
        }
    }

    @Test
    void idsArePerTenant() {
        KpiClient other = KpiClient.of(port, "tenant-" + UUID.randomUUID());
        other.define("revenue", "sum");
        Map<String, Object> batch = body("kpi", "revenue", "samples",
                List.of(sample("2025-10-01T10:00:00Z", 1, Map.of())));
        ok(api.post(BASE + "/ingest", "shared-id", batch));
        ResponseEntity<JsonNode> theirs = other.post(BASE + "/ingest", "shared-id", batch);
        assertThat(ok(theirs).get("accepted").asInt()).isEqualTo(1);
        assertThat(theirs.getHeaders().getFirst("Idempotent-Replayed")).isNull();
    }

    @Test
    void aFailedRequestLeavesItsIdFree() {
        assertFieldRefused(api.post(BASE + "/query", "fix-me", body("kpi", "revenue")), "window");
        JsonNode fixed = ok(api.post(BASE + "/query", "fix-me", body("kpi", "revenue",
                "window", window("2025-10-01", "2025-10-02"))));
        assertThat(fixed.get("points").size()).isZero();
        assertThat(jdbc.queryForObject("SELECT status FROM idempotent_request WHERE tenant_id = ? "
                + "AND request_id = 'fix-me'", Integer.class, tenant)).isEqualTo(200);
    }

    @Test
    void anIdInUseIsAConflictUntilItsLeaseRunsOut() {
        Map<String, Object> batch = body("kpi", "revenue", "samples",
                List.of(sample("2025-10-01T10:00:00Z", 4, Map.of())));
        String fingerprint = "running";
        ok(api.post(BASE + "/ingest", fingerprint, batch));
        // as if an instance had claimed the id for this very request and were still serving it
        jdbc.update("UPDATE idempotent_request SET status = NULL, body = NULL, claimed_at = ? "
                + "WHERE tenant_id = ? AND request_id = ?", Timestamp.from(Instant.now()), tenant, fingerprint);
        ResponseEntity<JsonNode> busy = api.post(BASE + "/ingest", fingerprint, batch);
        assertConflict(busy, RequestIdConflict.IN_PROGRESS);
        assertThat(busy.getHeaders().getFirst("Retry-After")).isEqualTo("1");

        // the instance died: after the lease (30 s) the request is served again; its sample is already stored
        jdbc.update("UPDATE idempotent_request SET claimed_at = claimed_at - interval '31 seconds' "
                + "WHERE tenant_id = ? AND request_id = ?", tenant, fingerprint);
        JsonNode served = ok(api.post(BASE + "/ingest", fingerprint, batch));
        assertThat(served.get("accepted").asInt()).isEqualTo(1);
        assertThat(total()).isEqualTo(8.0);
    }

    @Test
    void expiredIdsAreSweptAndFreeAgain() {
        ok(api.get(BASE + "/kpis", "old-id"));
        ok(api.get(BASE + "/kpis", "fresh-id"));
        jdbc.update("UPDATE idempotent_request SET expires_at = now() - interval '1 second' "
                + "WHERE tenant_id = ? AND request_id = 'old-id'", tenant);
        assertThat(sweep.sweep()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForList("SELECT request_id FROM idempotent_request WHERE tenant_id = ?", String.class,
                tenant)).containsExactly("fresh-id");
        ResponseEntity<JsonNode> reused = api.get(BASE + "/dimensions?name=region", "old-id");
        ok(reused);
        assertThat(reused.getHeaders().getFirst("Idempotent-Replayed")).isNull();
    }

    @Test
    void aMalformedIdIsRefusedNamingTheHeader() {
        assertFieldRefused(api.get(BASE + "/kpis", "not allowed!"), "X-Request-Id");
    }

    private double total() {
        return jdbc.queryForObject("SELECT coalesce(sum(value), 0) FROM kpi_sample WHERE tenant_id = ?",
                Double.class, tenant);
    }

    private static void assertConflict(ResponseEntity<JsonNode> response, String reason) {
        JsonNode body = assertError(response, 409, "version_conflict");
        assertThat(body.get("details").get("reason").asString()).isEqualTo(reason);
        assertThat(body.get("details").get("field").asString()).isEqualTo("X-Request-Id");
    }
}
