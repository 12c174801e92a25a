package io.qnsp.gateway.health;

import io.qnsp.gateway.GatewayApplication;
import io.qnsp.gateway.web.StubBackend;
import io.qnsp.gateway.web.TestGateway;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The DataHub health endpoints: their shapes, and readiness following Redis and the required services. */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"qnsp.gateway.readiness.timeout=1s"})
class HealthIntegrationTests {

    private static final TestRedis redis = TestRedis.startPrivate();
    private static final StubBackend auth = StubBackend.start();
    private static final StubBackend ratelimit = StubBackend.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestGateway.redis(registry, redis);
        registry.add("QNSP_AUTH_URL", auth::url);
        registry.add("QNSP_RATELIMIT_URL", ratelimit::url);
    }

    @AfterAll
    static void stop() {
        auth.close();
        ratelimit.close();
        redis.close();
    }

    @LocalServerPort
    int port;

    WebTestClient client;

    @BeforeEach
    void client() {
        client = TestGateway.client(port);
    }

    @AfterEach
    void restore() {
        auth.readiness(200);
        ratelimit.readiness(200);
    }

    @Test
    void healthSaysHealthyWithATimestampAndNeedsNoCredentials() {
        JsonNode body = json(client.get().uri("/health").header("X-Request-Id", "probe-1")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectHeader().valueEquals("X-Request-Id", "probe-1")
                .expectBody().returnResult());

        assertThat(names(body)).containsExactly("status", "timestamp");
        assertThat(body.get("status").asString()).isEqualTo("healthy");
        assertThat(Instant.parse(body.get("timestamp").asString())).isCloseTo(Instant.now(),
                org.assertj.core.api.Assertions.within(Duration.ofMinutes(1)));
    }

    @Test
    void liveSaysAliveWithTheUptimeInSeconds() {
        JsonNode body = json(client.get().uri("/health/live").exchange()
                .expectStatus().isOk()
                .expectBody().returnResult());

        assertThat(names(body)).containsExactly("status", "uptime", "timestamp");
        assertThat(body.get("status").asString()).isEqualTo("alive");
        assertThat(body.get("uptime").isIntegralNumber()).isTrue();
        assertThat(body.get("uptime").asLong()).isNotNegative();
        assertThat(Instant.parse(body.get("timestamp").asString())).isNotNull();
    }

    @Test
    void readyWhenRedisAndEveryRequiredServiceAre() {
        JsonNode body = json(client.get().uri("/health/ready").exchange()
                .expectStatus().isOk()
                .expectBody().returnResult());

        assertThat(names(body)).containsExactly("status", "checks", "timestamp");
        assertThat(body.get("status").asString()).isEqualTo("ready");
        assertThat(names(body.get("checks"))).containsExactly("redis", "auth", "ratelimit");
        assertThat(body.at("/checks/redis").asString()).isEqualTo("connected");
        assertThat(body.at("/checks/auth").asString()).isEqualTo("up");
        assertThat(body.at("/checks/ratelimit").asString()).isEqualTo("up");
        assertThat(auth.last("/actuator/health/readiness").method()).isEqualTo("GET");
    }

    @Test
    void everyRoutedServiceIsListedOnceByNameUpOrDown() {
        ratelimit.readiness(503);

        JsonNode body = json(client.get().uri("/health/services").exchange()
                .expectStatus().isOk()
                .expectBody().returnResult());

        assertThat(names(body)).containsExactly("status", "services", "timestamp");
        // the routes to one address are one service; the check route to ratelimit's decision port is ratelimit's
        assertThat(names(body.get("services"))).containsExactlyInAnyOrder("auth", "access", "kms", "vault",
                "storage", "kpi", "ratelimit", "billing", "crypto-inventory", "search", "observability",
                "ai-orchestrator", "tenant", "security-monitoring", "audit");
        assertThat(body.at("/services/auth").asString()).isEqualTo("up");
        assertThat(body.at("/services/ratelimit").asString()).isEqualTo("down");
        assertThat(body.get("status").asString()).isEqualTo("degraded");
    }

    @Test
    void notReadyWith503WhileARequiredServiceIsNot() {
        ratelimit.readiness(503);

        JsonNode body = json(client.get().uri("/health/ready").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().returnResult());

        assertThat(body.get("status").asString()).isEqualTo("not_ready");
        assertThat(body.at("/checks/redis").asString()).isEqualTo("connected");
        assertThat(body.at("/checks/auth").asString()).isEqualTo("up");
        assertThat(body.at("/checks/ratelimit").asString()).isEqualTo("down");
    }

    @Test
    void notReadyWith503WhileRedisIsDownAndReadyAgainOnceItIsBack() {
        redis.stop();
        try {
            JsonNode body = json(client.get().uri("/health/ready").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().returnResult());

            assertThat(body.get("status").asString()).isEqualTo("not_ready");
            assertThat(body.at("/checks/redis").asString()).isEqualTo("disconnected");
            assertThat(body.at("/checks/auth").asString()).isEqualTo("up");
            // liveness does not depend on Redis
            client.get().uri("/health/live").exchange().expectStatus().isOk();
        } finally {
            redis.start();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                client.get().uri("/health/ready").exchange().expectStatus().isOk());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    private static JsonNode json(EntityExchangeResult<byte[]> result) {
        assertThat(result.getResponseBodyContent()).as("response body").isNotNull();
        return JsonMapper.shared().readTree(result.getResponseBodyContent());
    }
}
