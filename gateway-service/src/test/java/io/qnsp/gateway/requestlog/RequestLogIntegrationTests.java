package io.qnsp.gateway.requestlog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.gateway.GatewayApplication;
import io.qnsp.gateway.web.ExchangeAttributes;
import io.qnsp.gateway.web.GatewayErrors;
import io.qnsp.gateway.web.StubBackend;
import io.qnsp.gateway.web.TestGateway;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Request-log events reach the Redis stream with the right fields, and a Redis outage costs events, not requests. */
@SpringBootTest(classes = {GatewayApplication.class, RequestLogIntegrationTests.StandInIdentity.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"qnsp.gateway.request-log.retry-interval=100ms"})
class RequestLogIntegrationTests {

    private static final TestRedis redis = TestRedis.startPrivate();
    private static final StubBackend backend = StubBackend.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestGateway.redis(registry, redis);
        TestGateway.trustTestTokens(registry);
        registry.add("QNSP_KMS_URL", backend::url);
    }

    @AfterAll
    static void stop() {
        backend.close();
        redis.close();
    }

    /**
     * Stands in for the identity filters: marks the caller and the rate limiter's verdict as they do, from test
     * headers, and refuses "rate-limited" callers with 429.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class StandInIdentity {

        @Bean
        WebFilter standInIdentity(GatewayErrors errors) {
            class Identity implements WebFilter, Ordered {
                @Override
                public reactor.core.publisher.Mono<Void> filter(org.springframework.web.server.ServerWebExchange exchange,
                                                               org.springframework.web.server.WebFilterChain chain) {
                    HttpHeaders headers = exchange.getRequest().getHeaders();
                    if (headers.getFirst("X-Test-Key-Id") != null) {
                        exchange.getAttributes().put(ExchangeAttributes.KEY_ID, headers.getFirst("X-Test-Key-Id"));
                        exchange.getAttributes().put(ExchangeAttributes.TENANT_ID, headers.getFirst("X-Test-Tenant"));
                    }
                    if ("true".equals(headers.getFirst("X-Test-Limited"))) {
                        exchange.getAttributes().put(ExchangeAttributes.RATE_LIMITED, Boolean.TRUE);
                        return errors.write(exchange, ApiError.of(HttpStatus.TOO_MANY_REQUESTS,
                                ErrorCodes.RATE_LIMITED, "Rate limit exceeded"));
                    }
                    return chain.filter(exchange);
                }

                @Override
                public int getOrder() {
                    return 0;
                }
            }
            return new Identity();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    StringRedisTemplate redisTemplate;

    @Autowired
    RedisKeys keys;

    @Autowired
    MeterRegistry meters;

    WebTestClient client;

    @BeforeEach
    void client() {
        client = TestGateway.client(port);
    }

    @Test
    void aProxiedRequestIsLoggedWithEveryField() {
        String requestId = "log-" + UUID.randomUUID();
        Instant before = Instant.now();
        client.get().uri("/kms/v1/keys?secret=never-logged")
                .header("X-Request-Id", requestId)
                .header(HttpHeaders.USER_AGENT, "qnsp-test/1.0")
                .header("X-Test-Key-Id", "key_123").header("X-Test-Tenant", TestGateway.TENANT)
                .exchange()
                .expectStatus().isOk();

        MapRecord<String, Object, Object> entry = awaitEntry(requestId);
        Map<Object, Object> fields = entry.getValue();
        assertThat(fields.keySet()).containsExactlyInAnyOrder("eventId", "type", "occurredAt", "payload");
        assertThat(fields.get("type")).isEqualTo("io.qnsp.common.events.RequestLogEvent");
        JsonNode payload = JsonMapper.shared().readTree((String) fields.get("payload"));
        assertThat(fields.get("eventId")).isEqualTo(payload.get("eventId").asString());
        assertThat(UUID.fromString(payload.get("eventId").asString())).isNotNull();
        assertThat(fields.get("occurredAt")).isEqualTo(payload.get("timestamp").asString());
        assertThat(Instant.parse(payload.get("timestamp").asString())).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(payload.get("method").asString()).isEqualTo("GET");
        assertThat(payload.get("path").asString()).isEqualTo("/kms/v1/keys");
        assertThat(payload.get("statusCode").asInt()).isEqualTo(200);
        assertThat(payload.get("durationMs").asLong()).isNotNegative();
        assertThat(payload.get("keyId").asString()).isEqualTo("key_123");
        assertThat(payload.get("tenantId").asString()).isEqualTo("tenant-a");
        assertThat(payload.get("ipAddress").asString()).isEqualTo("127.0.0.1");
        assertThat(payload.get("userAgent").asString()).isEqualTo("qnsp-test/1.0");
        assertThat(payload.get("rateLimited").asBoolean()).isFalse();
        assertThat(payload.get("requestId").asString()).isEqualTo(requestId);
        assertThat((String) fields.get("payload")).doesNotContain("never-logged");
    }

    @Test
    void refusalsAndErrorsAreLoggedWithTheStatusTheCallerGot() {
        String limited = "limited-" + UUID.randomUUID();
        client.get().uri("/kms/v1/keys").header("X-Request-Id", limited).header("X-Test-Limited", "true")
                .exchange().expectStatus().isEqualTo(429);
        String missing = "missing-" + UUID.randomUUID();
        client.get().uri("/no/such/route").header("X-Request-Id", missing)
                .exchange().expectStatus().isNotFound();

        JsonNode limitedEvent = payload(awaitEntry(limited));
        assertThat(limitedEvent.get("statusCode").asInt()).isEqualTo(429);
        assertThat(limitedEvent.get("rateLimited").asBoolean()).isTrue();
        assertThat(limitedEvent.get("keyId").isNull()).isTrue();
        JsonNode missingEvent = payload(awaitEntry(missing));
        assertThat(missingEvent.get("statusCode").asInt()).isEqualTo(404);
        assertThat(missingEvent.get("path").asString()).isEqualTo("/no/such/route");
    }

    @Test
    void theGatewaysOwnEndpointsAreNotLogged() {
        client.get().uri("/health").header("X-Request-Id", "own-health").exchange().expectStatus().isOk();
        client.get().uri("/health/live").header("X-Request-Id", "own-live").exchange().expectStatus().isOk();
        String marker = "marker-" + UUID.randomUUID();
        client.get().uri("/kms/v1/marker").header("X-Request-Id", marker).exchange().expectStatus().isOk();

        // events leave in order: once the later marker is in the stream, the earlier requests would be too
        awaitEntry(marker);
        assertThat(entries()).noneMatch(entry -> {
            String requestId = payload(entry).get("requestId").asString();
            return requestId.equals("own-health") || requestId.equals("own-live");
        });
    }

    @Test
    void whileRedisIsDownRequestsStillSucceedAndTheLostEventsAreCounted() {
        double droppedBefore = dropped();
        redis.stop();
        try {
            for (int i = 0; i < 20; i++) {
                client.get().uri("/kms/v1/during-outage").exchange().expectStatus().isOk();
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(dropped()).isGreaterThanOrEqualTo(droppedBefore + 20));
        } finally {
            redis.start();
        }
        // and once Redis is back, events flow again: a request sent now or a little later reaches the stream (the
        // gateway and the test's own client may still be reconnecting at first)
        List<String> sent = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            String after = "after-" + UUID.randomUUID();
            sent.add(after);
            client.get().uri("/kms/v1/after-outage").header("X-Request-Id", after).exchange().expectStatus().isOk();
            return sent.stream().anyMatch(requestId -> find(requestId) != null);
        });
    }

    private double dropped() {
        return meters.find(RequestLogBuffer.DROPPED).counters().stream().mapToDouble(Counter::count).sum();
    }

    private MapRecord<String, Object, Object> awaitEntry(String requestId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> find(requestId), entry -> entry != null);
    }

    private MapRecord<String, Object, Object> find(String requestId) {
        return entries().stream()
                .filter(entry -> requestId.equals(payload(entry).get("requestId").asString()))
                .findFirst().orElse(null);
    }

    private List<MapRecord<String, Object, Object>> entries() {
        List<MapRecord<String, Object, Object>> entries = redisTemplate.opsForStream()
                .range(keys.key("events:request-log"), Range.unbounded());
        return entries == null ? List.of() : entries;
    }

    private static JsonNode payload(MapRecord<String, Object, Object> entry) {
        return JsonMapper.shared().readTree((String) entry.getValue().get("payload"));
    }
}
