package io.qnsp.search.analytics;

import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.search.AuditStream;
import io.qnsp.search.SearchApi;
import io.qnsp.search.SearchIntegrationTest;
import io.qnsp.test.time.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Analytics computed from the queries a test ran and the results it clicked. */
@SearchIntegrationTest
class AnalyticsIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    TestClock clock;

    @Autowired
    EventOutbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    final String alpha = "tenant-" + UUID.randomUUID();
    final String beta = "tenant-" + UUID.randomUUID();
    AuditStream stream;

    @BeforeEach
    void setUp() {
        stream = new AuditStream(outbox, transactions, jdbc, redis, keys);
        for (int i = 0; i < 3; i++) {
            AuditEvent event = stream.publish(alpha, "kms.key.rotation_completed", "key", "key-" + i, Map.of());
            stream.awaitIndexed(event);
        }
    }

    @AfterEach
    void releaseClock() {
        clock.release();
    }

    @Test
    void metricsAndQualityComeFromTheRecordedQueriesAndClicks() {
        SearchApi first = SearchApi.member(port, alpha, "first-user");
        SearchApi second = SearchApi.member(port, alpha, "second-user");
        Instant start = Instant.now().minus(Duration.ofHours(1));
        clock.pin(start);
        JsonNode q1 = first.search("rotation");
        assertThat(q1.get("total").asLong()).isEqualTo(3);
        JsonNode click = ok(first.click(q1.get("queryId").asString(),
                q1.get("results").get(1).get("documentId").asString()), 201);
        assertThat(click.get("position").asInt()).isEqualTo(2);
        // the same click again changes nothing
        assertThat(ok(first.click(q1.get("queryId").asString(), q1.get("results").get(1).get("documentId")
                .asString()), 201).get("position").asInt()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(5));
        assertThat(first.search("zzqxv").get("total").asLong()).isZero();

        clock.advance(Duration.ofMinutes(5));
        JsonNode q3 = second.search("rotation");
        ok(second.click(q3.get("queryId").asString(), q3.get("results").get(0).get("documentId").asString()), 201);
        clock.advance(Duration.ofSeconds(10));
        assertThat(second.search("rotation key").get("total").asLong()).isEqualTo(3);

        // another tenant's queries count for that tenant only
        SearchApi.tenant(port, beta).search("rotation");

        JsonNode metrics = ok(first.get("/search/v1/analytics/metrics"));
        assertThat(metrics.get("period").asString()).isEqualTo("24h");
        assertThat(metrics.get("totalQueries").asLong()).isEqualTo(4);
        assertThat(metrics.get("zeroResultsRate").asDouble()).isEqualTo(0.25);
        List<Double> latencies = jdbc.queryForList("SELECT latency_ms FROM search_query WHERE tenant_id = ? "
                + "ORDER BY latency_ms", Double.class, alpha);
        assertThat(latencies).hasSize(4).allMatch(latency -> latency > 0);
        double mean = latencies.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double rank = 0.99 * (latencies.size() - 1);
        int below = (int) Math.floor(rank);
        double p99 = latencies.get(below) + (rank - below) * (latencies.get(below + 1) - latencies.get(below));
        assertThat(metrics.get("averageLatencyMs").asDouble()).isCloseTo(mean, within(1e-6));
        assertThat(metrics.get("p99LatencyMs").asDouble()).isCloseTo(p99, within(1e-6));

        JsonNode quality = ok(first.get("/search/v1/analytics/quality"));
        // queries with results: q1 (clicked at 2), q3 (clicked at 1), q4 (no click)
        assertThat(quality.get("queriesWithResults").asLong()).isEqualTo(3);
        assertThat(quality.get("meanReciprocalRank").asDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(quality.get("clickThroughRate").asDouble()).isCloseTo(2.0 / 3, within(1e-9));
        // q3 was reformulated 10 s later by the same user; q1 was not
        assertThat(quality.get("satisfactionScore").asDouble()).isCloseTo(1.0 / 3, within(1e-9));
        // q2 and q4 of the four had no click
        assertThat(quality.get("abandonmentRate").asDouble()).isCloseTo(0.5, within(1e-9));

        // a period that ends before the queries sees none of them
        clock.advance(Duration.ofDays(2));
        assertThat(ok(first.get("/search/v1/analytics/metrics?period=1d")).get("totalQueries").asLong()).isZero();
        assertThat(ok(first.get("/search/v1/analytics/metrics?period=7d")).get("totalQueries").asLong())
                .isEqualTo(4);
    }

    @Test
    void clicksAndPeriodsAreChecked() {
        SearchApi alphaApi = SearchApi.tenant(port, alpha);
        JsonNode answer = alphaApi.search("rotation");
        String queryId = answer.get("queryId").asString();
        assertFieldRefused(alphaApi.click(queryId, UUID.randomUUID().toString()), "documentId");
        assertFieldRefused(alphaApi.click("not-a-uuid", UUID.randomUUID().toString()), "queryId");
        assertStatus(SearchApi.tenant(port, beta).click(queryId,
                answer.get("results").get(0).get("documentId").asString()), 404);
        assertFieldRefused(alphaApi.get("/search/v1/analytics/metrics?period=5x"), "period");
        assertFieldRefused(alphaApi.get("/search/v1/analytics/quality?period=400d"), "period");
        assertFieldRefused(alphaApi.get("/search/v1/analytics/quality?period=0h"), "period");
    }
}
