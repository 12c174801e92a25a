package io.qnsp.gateway.ratelimit;

import io.qnsp.common.redis.RedisKeys;
import io.qnsp.gateway.TestAuthService;
import io.qnsp.gateway.TestAuthService.TestKey;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway on a Redis of its own that the test stops and starts: requests keep being answered by the default
 * failure mode ({@code local}: in-process buckets), and the gateway returns to Redis, and to change notices, by
 * itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayRedisOutageIntegrationTests {
    private static final StubBackend backend = StubBackend.start();

    private static final TestRedis REDIS = TestRedis.startPrivate();

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
    @Autowired
    RedisKeys keys;

    private final TestAuthService auth = TestAuthService.shared();

    private EntityExchangeResult<byte[]> withKey(WebTestClient client, TestKey key) {
        return client.get().uri("/api/v1/requests/" + UUID.randomUUID()).header("X-API-Key", key.value())
                .exchange().expectBody().returnResult();
    }

    @Test
    void withRedisStoppedTheGatewayKeepsAnsweringWithLocalBucketsAndReturnsToRedisByItself() throws Exception {
        WebTestClient client = TestIdentity.client(port);
        String channel = keys.key("auth:api-key-changed");
        TestIdentity.awaitSubscriber(redis, channel);
        TestKey key = auth.newKey("tenant-outage", 2, 100, 1000);
        EntityExchangeResult<byte[]> before = withKey(client, key);
        assertThat(before.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(before.getResponseHeaders().getFirst("X-RateLimit-Remaining")).isEqualTo("1");
        assertThat(redis.hasKey(keys.key("rl:key:" + key.keyId() + ":m"))).isTrue();

        REDIS.stop();
        try {
            awaitRedisGone();
            // this instance's own buckets decide now: they start full
            EntityExchangeResult<byte[]> first = withKey(client, key);
            assertThat(first.getStatus()).isEqualTo(HttpStatus.OK);
            assertThat(first.getResponseHeaders().getFirst("X-RateLimit-Remaining")).isEqualTo("1");
            assertThat(withKey(client, key).getStatus()).isEqualTo(HttpStatus.OK);
            EntityExchangeResult<byte[]> denied = withKey(client, key);
            assertThat(denied.getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
            assertThat(denied.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotNull();

            // a new key still verifies (auth-service is up), and JWT callers pass
            TestKey during = auth.newKey("tenant-outage", 2, 100, 1000);
            assertThat(withKey(client, during).getStatus()).isEqualTo(HttpStatus.OK);
            String token = TestTokens.forTenant("tenant-outage").audience("qnsp").mint();
            assertThat(client.get().uri("/kms/v1/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .exchange().expectBody().returnResult().getStatus()).isEqualTo(HttpStatus.OK);
            EntityExchangeResult<byte[]> status = client.get().uri("/api/v1/rate-limits/status")
                    .header("X-API-Key", during.value()).exchange().expectBody().returnResult();
            assertThat(status.getStatus()).isEqualTo(HttpStatus.OK);
            assertThat(status.getResponseHeaders().getFirst("X-RateLimit-Remaining")).isEqualTo("1");
        } finally {
            REDIS.start();
        }

        // Redis lost its data with the restart; the shared bucket reappears once the engine uses Redis again
        TestKey after = auth.newKey("tenant-outage", 2, 100, 1000);
        String bucket = keys.key("rl:key:" + after.keyId() + ":m");
        await("the shared bucket in Redis again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(withKey(client, after).getStatus()).isIn(HttpStatus.OK, HttpStatus.TOO_MANY_REQUESTS);
                    return hasKey(bucket);
                });

        // change notices are received again too
        TestIdentity.awaitSubscriber(redis, channel);
        auth.refuse(after);
        redis.convertAndSend(channel, "{\"keyId\":\"" + after.keyId() + "\",\"change\":\"revoked\"}");
        assertThat(TestIdentity.awaitStatus(client, after, HttpStatus.UNAUTHORIZED))
                .isEqualTo(HttpStatus.UNAUTHORIZED);
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

    private boolean hasKey(String key) {
        try {
            return Boolean.TRUE.equals(redis.hasKey(key));
        } catch (RuntimeException stillAway) {
            return false;
        }
    }
}
