package io.qnsp.kpi.series;

import io.qnsp.common.events.OutboxEvent;
import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.common.events.UsageEvent;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.kpi.KpiClient;
import io.qnsp.kpi.KpiIntegrationTest;
import io.qnsp.kpi.definition.PlatformKpis;
import io.qnsp.kpi.query.IndependentStatistics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ApiAssertions.ok;
import static io.qnsp.kpi.KpiClient.BASE;
import static io.qnsp.kpi.KpiClient.body;
import static io.qnsp.kpi.KpiClient.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The platform's KPIs are fed from its request-log and usage streams, as common-lib's relay writes them: one sample
 * per event of a tenant, a redelivered event counted once, events of no tenant not counted.
 */
@KpiIntegrationTest
class PlatformEventsIntegrationTests {

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

    @Test
    void requestLogsBecomeDurationSamplesOfTheirTenant() {
        String tenant = "tenant-" + UUID.randomUUID();
        String other = "tenant-" + UUID.randomUUID();
        Instant at = Instant.parse("2025-11-03T09:00:00Z");
        List<RequestLogEvent> events = new ArrayList<>();
        long[] durations = {12, 40, 7, 33, 95, 18};
        int[] statuses = {200, 201, 200, 404, 200, 429};
        for (int i = 0; i < durations.length; i++) {
            events.add(request(tenant, at.plusSeconds(60L * i), statuses[i], durations[i], statuses[i] == 429));
        }
        events.forEach(this::publish);
        publish(events.get(1));
        publish(request(other, at, 200, 1000, false));
        publish(request(null, at, 200, 5000, false));
        // the stream is read in order: once the other tenant's event, published last, is stored, so is every event
        // before it, the duplicate included
        awaitSamples(other, PlatformKpis.REQUEST_DURATION, 1);
        assertThat(samples(tenant, PlatformKpis.REQUEST_DURATION)).isEqualTo(durations.length);

        KpiClient api = KpiClient.of(port, tenant);
        JsonNode twoHundreds = ok(api.query(body("kpi", PlatformKpis.REQUEST_DURATION,
                "filters", Map.of(PlatformKpis.STATUS_CLASS, List.of("2xx")),
                "window", window("2025-11-03", "2025-11-03"), "granularity", "window")));
        List<Double> expected = List.of(12.0, 40.0, 7.0, 95.0);
        JsonNode point = twoHundreds.get("points").get(0);
        assertThat(twoHundreds.get("aggregation").asString()).isEqualTo("avg");
        assertThat(point.get("samples").asLong()).isEqualTo(4);
        assertThat(point.get("value").asDouble()).isCloseTo(IndependentStatistics.mean(expected), within(1e-9));
        double margin = IndependentStatistics.tCritical(0.95, 3)
                * IndependentStatistics.sampleStandardDeviation(expected) / 2;
        assertThat(point.get("ci").get("upper").asDouble()).isCloseTo(IndependentStatistics.mean(expected) + margin, within(1e-7));

        JsonNode limited = ok(api.query(body("kpi", PlatformKpis.REQUEST_DURATION, "aggregation", "count",
                "filters", Map.of(PlatformKpis.RATE_LIMITED, List.of("true"), PlatformKpis.METHOD, List.of("GET")),
                "window", window("2025-11-03", "2025-11-03"))));
        assertThat(limited.get("points").get(0).get("value").asDouble()).isEqualTo(1.0);
        assertThat(ok(api.get(BASE + "/dimensions?name=status")).get("items").toString())
                .isEqualTo("[\"200\",\"201\",\"404\",\"429\"]");
    }

    @Test
    void usageEventsBecomeQuantitySamplesOfTheirTenant() {
        String tenant = "tenant-" + UUID.randomUUID();
        Instant at = Instant.parse("2025-11-04T10:00:00Z");
        UsageEvent first = usage(tenant, at, "kms.encrypt", 3, "kms-service");
        publish(first);
        publish(usage(tenant, at.plusSeconds(5), "kms.encrypt", 2, "kms-service"));
        publish(usage(tenant, at.plusSeconds(9), "vault.secret.read", 1, "vault-service"));
        publish(first);
        String marker = "tenant-" + UUID.randomUUID();
        publish(usage(marker, at, "kms.encrypt", 1, "kms-service"));
        awaitSamples(marker, PlatformKpis.USAGE, 1);
        assertThat(samples(tenant, PlatformKpis.USAGE)).isEqualTo(3);

        JsonNode encrypts = ok(KpiClient.of(port, tenant).query(body("kpi", PlatformKpis.USAGE,
                "filters", Map.of(PlatformKpis.OPERATION, List.of("kms.encrypt")),
                "window", window("2025-11-04", "2025-11-04"))));
        assertThat(encrypts.get("aggregation").asString()).isEqualTo("sum");
        assertThat(encrypts.get("points").get(0).get("value").asDouble()).isEqualTo(5.0);
        assertThat(encrypts.get("points").get(0).get("samples").asLong()).isEqualTo(2);
    }

    private void awaitSamples(String tenant, String kpi, long expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> samples(tenant, kpi) >= expected);
    }

    private long samples(String tenant, String kpi) {
        return jdbc.queryForObject("SELECT count(*) FROM kpi_sample WHERE tenant_id = ? AND kpi = ?", Long.class,
                tenant, kpi);
    }

    private static RequestLogEvent request(String tenant, Instant at, int status, long durationMs,
                                           boolean rateLimited) {
        return new RequestLogEvent(UUID.randomUUID(), at, "GET", "/kms/v1/keys", status, durationMs, null, tenant,
                "127.0.0.1", "test", rateLimited, "rid-" + UUID.randomUUID());
    }

    private static UsageEvent usage(String tenant, Instant at, String operation, long quantity, String service) {
        return new UsageEvent(UUID.randomUUID(), at, tenant, "app-1", operation, quantity, "rid-1", service);
    }

    /** XADD with the relay's fields: eventId, type, occurredAt, payload. */
    private void publish(OutboxEvent event) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("eventId", event.eventId().toString());
        fields.put("type", event.getClass().getName());
        fields.put("occurredAt", event.occurredAt().toString());
        fields.put("payload", json.writeValueAsString(event));
        redis.opsForStream().add(StreamRecords.newRecord().in(keys.key("events:" + event.stream())).ofMap(fields));
    }
}
