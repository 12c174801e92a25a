package io.qnsp.gateway.ratelimit;

import io.qnsp.gateway.TestAuthService;
import io.qnsp.gateway.TestAuthService.TestKey;
import io.qnsp.gateway.TestIdentity;
import io.qnsp.gateway.web.StubBackend;
import io.qnsp.gateway.web.ExchangeAttributes;
import io.qnsp.test.infra.TestRedis;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-key and per-tenant limits at the gateway, the X-RateLimit headers, 429s and the status endpoint. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "qnsp.gateway.rate-limit.tenant-default.requests-per-minute=4")
class GatewayRateLimitIntegrationTests {
    private static final StubBackend backend = StubBackend.start();

    private static final JsonMapper JSON = JsonMapper.shared();

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestIdentity.properties(registry, TestRedis.shared(), backend);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @TestConfiguration
    static class Recording {
        @Bean
        TestIdentity.ExchangeRecorder exchangeRecorder() {
            return new TestIdentity.ExchangeRecorder();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    TestIdentity.ExchangeRecorder recorder;

    private final TestAuthService auth = TestAuthService.shared();
    private WebTestClient client;

    @BeforeEach
    void connect() {
        client = TestIdentity.client(port);
    }

    private EntityExchangeResult<byte[]> withKey(String path, TestKey key, String testId) {
        return client.get().uri(path).header("X-API-Key", key.value()).header(TestIdentity.TEST_ID, testId)
                .exchange().expectBody().returnResult();
    }

    private static long header(EntityExchangeResult<?> result, String name) {
        String value = result.getResponseHeaders().getFirst(name);
        assertThat(value).as(name).isNotNull();
        return Long.parseLong(value);
    }

    @Test
    void aKeyIsHeldToItsOwnLimitWithHeadersOnEveryAnswerAndA429WithRetryAfter() throws InterruptedException {
        TestKey key = auth.newKey("tenant-limited", 3, 100, 1000);
        String path = "/api/v1/requests/" + UUID.randomUUID();
        // The bucket starts full at the first request, at a time known only to lie between these two; each reset
        // below is that time plus 20 s per request taken (at 3 per minute), however long the requests take.
        long beforeFirst = Instant.now().getEpochSecond();
        long afterFirst = 0;
        for (int i = 1; i <= 3; i++) {
            EntityExchangeResult<byte[]> admitted = withKey(path, key, UUID.randomUUID().toString());
            if (i == 1) {
                afterFirst = Instant.now().getEpochSecond();
            }
            assertThat(admitted.getStatus()).isEqualTo(HttpStatus.OK);
            // the minute window is the tightest: fewest requests left
            assertThat(header(admitted, "X-RateLimit-Limit")).isEqualTo(3);
            assertThat(header(admitted, "X-RateLimit-Remaining")).isEqualTo(3 - i);
            assertThat(header(admitted, "X-RateLimit-Reset")).isBetween(beforeFirst + 20L * i - 1,
                    afterFirst + 20L * i + 2);
        }
        String deniedId = UUID.randomUUID().toString();
        EntityExchangeResult<byte[]> denied = withKey(path, key, deniedId);
        long afterDenied = Instant.now().getEpochSecond();

        assertThat(denied.getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        JsonNode body = JSON.readTree(denied.getResponseBody());
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.at("/error/code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(body.at("/error/details/limit").asLong()).isEqualTo(3);
        // the next token comes 20 s after the first request, less what has passed since
        assertThat(header(denied, HttpHeaders.RETRY_AFTER)).isBetween(18L - (afterDenied - beforeFirst), 20L);
        assertThat(header(denied, "X-RateLimit-Limit")).isEqualTo(3);
        assertThat(header(denied, "X-RateLimit-Remaining")).isZero();
        assertThat(denied.getResponseHeaders().getFirst("X-Request-Id")).isNotBlank();
        assertThat(received(path)).hasSize(3);
        assertThat(recorder.attributes(deniedId)).containsEntry(ExchangeAttributes.RATE_LIMITED, Boolean.TRUE)
                .containsEntry(ExchangeAttributes.KEY_ID, key.keyId());
    }

    @Test
    void jwtCallersShareTheirTenantsDefaultLimit() {
        String tenant = "tenant-" + UUID.randomUUID();
        String path = "/kms/v1/keys/" + UUID.randomUUID();
        for (int i = 1; i <= 4; i++) {
            // a different token (subject) each time: the bucket is the tenant's
            String token = TestTokens.forTenant(tenant).subject("user-" + i).audience("qnsp").mint();
            EntityExchangeResult<byte[]> admitted = client.get().uri(path)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange().expectBody().returnResult();
            assertThat(admitted.getStatus()).isEqualTo(HttpStatus.OK);
            assertThat(header(admitted, "X-RateLimit-Limit")).isEqualTo(4);
            assertThat(header(admitted, "X-RateLimit-Remaining")).isEqualTo(4 - i);
        }
        EntityExchangeResult<byte[]> denied = client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer "
                + TestTokens.forTenant(tenant).audience("qnsp").mint()).exchange().expectBody().returnResult();
        assertThat(denied.getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        // the QNSP family on /kms
        assertThat(JSON.readTree(denied.getResponseBody()).get("error").asString()).isEqualTo("RATE_LIMITED");
        assertThat(denied.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotNull();

        String other = TestTokens.forTenant("another-" + UUID.randomUUID()).audience("qnsp").mint();
        assertThat(client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + other).exchange()
                .expectBody().returnResult().getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(received(path)).hasSize(5);
    }

    @Test
    void theStatusEndpointReportsEveryWindowOfTheKeyWithoutChargingIt() {
        TestKey key = auth.newKey("tenant-status", 5, 50, 500);
        // the buckets start full at the first request, at a time between these two: the resets below count from it
        long beforeFirst = Instant.now().getEpochSecond();
        for (int i = 0; i < 2; i++) {
            assertThat(withKey("/api/v1/requests/" + UUID.randomUUID(), key, UUID.randomUUID().toString())
                    .getStatus()).isEqualTo(HttpStatus.OK);
        }
        long now = Instant.now().getEpochSecond();
        for (int look = 0; look < 3; look++) {
            EntityExchangeResult<byte[]> status = withKey("/api/v1/rate-limits/status", key, "status-" + look);
            assertThat(status.getStatus()).isEqualTo(HttpStatus.OK);
            JsonNode body = JSON.readTree(status.getResponseBody());
            assertThat(body.get("success").asBoolean()).isTrue();
            assertThat(body.at("/meta/requestId").asString()).isNotBlank();
            JsonNode limits = body.at("/data/limits");
            assertThat(limits.propertyNames()).containsExactly("perMinute", "perHour", "perDay");
            assertThat(limits.at("/perMinute/limit").asLong()).isEqualTo(5);
            assertThat(limits.at("/perMinute/remaining").asLong()).isEqualTo(3);
            // two requests at 5 per minute: full again 24 s after the first
            assertThat(limits.at("/perMinute/reset").asLong()).isBetween(beforeFirst + 22, now + 25);
            assertThat(limits.at("/perHour/limit").asLong()).isEqualTo(50);
            assertThat(limits.at("/perHour/remaining").asLong()).isEqualTo(48);
            assertThat(limits.at("/perHour/reset").asLong()).isBetween(beforeFirst + 142, now + 145);
            assertThat(limits.at("/perDay/limit").asLong()).isEqualTo(500);
            assertThat(limits.at("/perDay/remaining").asLong()).isEqualTo(498);
            assertThat(header(status, "X-RateLimit-Limit")).isEqualTo(5);
            assertThat(header(status, "X-RateLimit-Remaining")).isEqualTo(3);
        }
        assertThat(received("/api/v1/rate-limits/status")).isEmpty();

        EntityExchangeResult<byte[]> anonymous = client.get().uri("/api/v1/rate-limits/status").exchange()
                .expectBody().returnResult();
        assertThat(anonymous.getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(JSON.readTree(anonymous.getResponseBody()).at("/error/code").asString())
                .isEqualTo("MISSING_API_KEY");
    }

    @Test
    void anExhaustedKeyCanStillSeeItsStatus() {
        TestKey key = auth.newKey("tenant-exhausted", 1, 50, 500);
        assertThat(withKey("/api/v1/requests/" + UUID.randomUUID(), key, UUID.randomUUID().toString()).getStatus())
                .isEqualTo(HttpStatus.OK);
        assertThat(withKey("/api/v1/requests/" + UUID.randomUUID(), key, UUID.randomUUID().toString()).getStatus())
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

        EntityExchangeResult<byte[]> status = withKey("/api/v1/rate-limits/status", key, UUID.randomUUID().toString());
        assertThat(status.getStatus()).isEqualTo(HttpStatus.OK);
        JsonNode limits = JSON.readTree(status.getResponseBody()).at("/data/limits");
        assertThat(limits.at("/perMinute/remaining").asLong()).isZero();
        // the denied request found the minute bucket empty and charged neither bucket
        assertThat(limits.at("/perHour/remaining").asLong()).isEqualTo(49);
        assertThat(header(status, "X-RateLimit-Remaining")).isZero();
    }

    @Test
    void theStatusEndpointOnlyAnswersGet() {
        TestKey key = auth.newKey("tenant-status-post", 5, 50, 500);
        EntityExchangeResult<byte[]> post = client.post().uri("/api/v1/rate-limits/status")
                .header("X-API-Key", key.value()).exchange().expectBody().returnResult();
        assertThat(post.getStatus()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(JSON.readTree(post.getResponseBody()).at("/error/code").asString()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(post.getResponseHeaders().getAllow()).isNotEmpty();
    }

    private static List<StubBackend.Received> received(String path) {
        return backend.received().stream().filter(request -> request.path().equals(path)).toList();
    }
}
