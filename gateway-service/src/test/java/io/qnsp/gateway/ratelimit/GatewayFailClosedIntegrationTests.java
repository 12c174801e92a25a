package io.qnsp.gateway.ratelimit;

import io.qnsp.gateway.TestIdentity;
import io.qnsp.gateway.web.StubBackend;
import io.qnsp.test.infra.TestRedis;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway with failure mode {@code fail-closed} on a Redis of its own that the test stops: every request the
 * limits cannot decide is answered 503 with {@code Retry-After} ({@code qnsp.ratelimit.unavailable-retry-after}) in
 * the path's family, while the gateway's own health endpoints keep answering.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "qnsp.ratelimit.redis-failure-mode=fail-closed",
        "qnsp.ratelimit.unavailable-retry-after=3s"})
class GatewayFailClosedIntegrationTests {

    private static final StubBackend backend = StubBackend.start();
    private static final TestRedis REDIS = TestRedis.startPrivate();
    private static final JsonMapper JSON = JsonMapper.shared();

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestIdentity.properties(registry, REDIS, backend);
    }

    @AfterAll
    static void stop() {
        backend.close();
        REDIS.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    StringRedisTemplate redis;

    @Test
    void whileRedisIsDownEveryUndecidableRequestIs503WithRetryAfter() {
        WebTestClient client = TestIdentity.client(port);
        String token = "Bearer " + TestTokens.forTenant("tenant-closed").audience("qnsp").mint();
        assertThat(authenticated(client, token).getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(tokenRequest(client).getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);

        REDIS.stop();
        try {
            awaitRedisGone();

            // an authenticated caller's limits (QNSP format)
            EntityExchangeResult<byte[]> limited = authenticated(client, token);
            assertUnavailable(limited);
            assertThat(JSON.readTree(limited.getResponseBodyContent()).get("error").asString())
                    .isEqualTo("RATE_LIMITER_UNAVAILABLE");

            // the token endpoint, a public path limited per address
            EntityExchangeResult<byte[]> tokenEndpoint = tokenRequest(client);
            assertUnavailable(tokenEndpoint);
            assertThat(JSON.readTree(tokenEndpoint.getResponseBodyContent()).get("statusCode").asInt())
                    .isEqualTo(503);

            // the rate-limit service's admin path, in its own format
            EntityExchangeResult<byte[]> keys = client.get().uri("/v1/api-keys").exchange().expectBody()
                    .returnResult();
            assertUnavailable(keys);
            assertThat(JSON.readTree(keys.getResponseBodyContent()).get("error").asString())
                    .isEqualTo("rate_limiter_unavailable");

            // the decision endpoint is exempt from the per-address limit: the gateway passes it on, and
            // ratelimit-service decides it (here the stand-in backend answers)
            assertThat(client.post().uri("/v1/check").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"apiKey\":\"k\"}").exchange().expectBody().returnResult().getStatus())
                    .isEqualTo(HttpStatus.OK);

            // the gateway's own probes are not taken down with Redis
            assertThat(client.get().uri("/health/live").exchange().expectBody().returnResult().getStatus())
                    .isEqualTo(HttpStatus.OK);
        } finally {
            REDIS.start();
        }
    }

    private static void assertUnavailable(EntityExchangeResult<byte[]> answer) {
        assertThat(answer.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.getResponseHeaders().get(HttpHeaders.RETRY_AFTER)).containsExactly("3");
        JsonNode body = JSON.readTree(answer.getResponseBodyContent());
        assertThat(body.toString()).containsIgnoringCase("rate_limiter_unavailable");
    }

    private static EntityExchangeResult<byte[]> authenticated(WebTestClient client, String token) {
        return client.get().uri("/kms/v1/keys").header(HttpHeaders.AUTHORIZATION, token)
                .exchange().expectBody().returnResult();
    }

    private static EntityExchangeResult<byte[]> tokenRequest(WebTestClient client) {
        return client.post().uri("/oauth2/token").header(HttpHeaders.AUTHORIZATION, "Basic Y2xpZW50Ondyb25n")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue("grant_type=client_credentials")
                .exchange().expectBody().returnResult();
    }

    /** The server process may still answer for a moment after {@code stop()} returns. */
    private void awaitRedisGone() {
        await("Redis no longer answering").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    try {
                        redis.hasKey("probe");
                        return false;
                    } catch (RuntimeException gone) {
                        return true;
                    }
                });
    }
}
