package io.qnsp.gateway.authentication;

import io.qnsp.common.redis.RedisKeys;
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
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway in front of a stub auth-service and a stub backend: who gets through, what the backend receives, and
 * how verified keys are cached and dropped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayAuthenticationIntegrationTests {
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
    StringRedisTemplate redis;
    @Autowired
    RedisKeys keys;
    @Autowired
    ApiKeyChangeListener changeListener;
    @Autowired
    TestIdentity.ExchangeRecorder recorder;

    private final TestAuthService auth = TestAuthService.shared();
    private WebTestClient client;

    @BeforeEach
    void connect() throws InterruptedException {
        client = TestIdentity.client(port);
        TestIdentity.awaitSubscriber(redis, keys.key("auth:api-key-changed"));
        // Redis counts the subscriber a moment before the listener has dropped what it cached earlier; a test that
        // counts verifications must not see that drop
        await("the gateway dropped what it cached before it subscribed").atMost(Duration.ofSeconds(30))
                .until(changeListener::subscribed);
    }

    private static String unique(String path) {
        return path + "/" + UUID.randomUUID();
    }

    private static String jwt(String tenant) {
        return TestTokens.forTenant(tenant).scopes("kms:read").audience("qnsp").mint();
    }

    private EntityExchangeResult<byte[]> get(String path, String header, String value) {
        WebTestClient.RequestHeadersSpec<?> request = client.get().uri(path);
        if (header != null) {
            request = request.header(header, value);
        }
        return request.exchange().expectBody().returnResult();
    }

    private static JsonNode json(EntityExchangeResult<byte[]> result) {
        return JSON.readTree(result.getResponseBody());
    }

    @Test
    void aJwtCallerReachesTheServiceWithItsOwnToken() throws InterruptedException {
        String token = jwt("tenant-jwt");
        String path = unique("/kms/v1/keys");
        String testId = UUID.randomUUID().toString();
        EntityExchangeResult<byte[]> result = client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header(TestIdentity.TEST_ID, testId).exchange().expectBody().returnResult();

        assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
        StubBackend.Received received = backend.last(path);
        assertThat(received.header(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer " + token);
        Map<String, Object> attributes = recorder.attributes(testId);
        assertThat(attributes).containsEntry(ExchangeAttributes.TENANT_ID, "tenant-jwt")
                .doesNotContainKey(ExchangeAttributes.KEY_ID);
    }

    @Test
    void badJwtsAreRefusedBeforeReachingAnyService() {
        String path = unique("/kms/v1/keys");
        for (String token : new String[] {
                TestTokens.forTenant("t").audience("qnsp").expired().mint(),
                TestTokens.forTenant("t").audience("qnsp").wrongIssuer().mint(),
                TestTokens.forTenant("t").audience("qnsp").wrongSignature().mint(),
                TestTokens.forTenant("t").mint(),
                TestTokens.forTenant("t").audience("other").mint(),
                "not-a-jwt"}) {
            EntityExchangeResult<byte[]> result = get(path, HttpHeaders.AUTHORIZATION, "Bearer " + token);
            assertThat(result.getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
            // the QNSP family on /kms
            assertThat(json(result).get("error").asString()).isEqualTo("UNAUTHORIZED");
            assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
                    .isEqualTo("Bearer error=\"invalid_token\"");
        }
        assertThat(received(path)).isEmpty();
    }

    @Test
    void withoutCredentialsTheAnswerIsMissingApiKeyInTheDataHubFamily() {
        String path = unique("/api/v1/requests");
        EntityExchangeResult<byte[]> result = get(path, null, null);
        assertThat(result.getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
        JsonNode body = json(result);
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.at("/error/code").asString()).isEqualTo("MISSING_API_KEY");
        assertThat(body.at("/meta/requestId").asString()).isNotBlank();
        assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");

        EntityExchangeResult<byte[]> basic = get(path, HttpHeaders.AUTHORIZATION, "Basic dXNlcjpwYXNz");
        assertThat(basic.getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(json(basic).at("/error/code").asString()).isEqualTo("INVALID_API_KEY");
        assertThat(received(path)).isEmpty();
    }

    @Test
    void anApiKeyInEitherHeaderReachesTheServiceAsAJwtAndNeverItself() throws InterruptedException {
        TestKey key = auth.newKey("tenant-keys", 100, 1000, 10000);
        String viaHeader = unique("/api/v1/requests");
        String testId = UUID.randomUUID().toString();
        EntityExchangeResult<byte[]> first = client.get().uri(viaHeader).header("X-API-Key", key.value())
                .header(TestIdentity.TEST_ID, testId).exchange().expectBody().returnResult();
        String viaBearer = unique("/api/v1/requests");
        EntityExchangeResult<byte[]> second = get(viaBearer, HttpHeaders.AUTHORIZATION, "Bearer " + key.value());

        assertThat(first.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(second.getStatus()).isEqualTo(HttpStatus.OK);
        for (String path : new String[] {viaHeader, viaBearer}) {
            StubBackend.Received received = backend.last(path);
            assertThat(received.headers().containsKey("X-API-Key")).isFalse();
            assertThat(received.headers().values().toString()).doesNotContain(key.value());
            String forwarded = received.header(HttpHeaders.AUTHORIZATION);
            assertThat(forwarded).startsWith("Bearer ey");
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(forwarded.substring(7).split("\\.")[1]));
            assertThat(claims.get("sub").asString()).isEqualTo(key.keyId());
            assertThat(claims.get("tenant_id").asString()).isEqualTo("tenant-keys");
        }
        Map<String, Object> attributes = recorder.attributes(testId);
        assertThat(attributes).containsEntry(ExchangeAttributes.KEY_ID, key.keyId())
                .containsEntry(ExchangeAttributes.TENANT_ID, "tenant-keys");
        // the second request was answered from the cache
        assertThat(auth.verifyCalls(key)).isEqualTo(1);
        assertThat(auth.unauthorizedVerifications()).isZero();
    }

    @Test
    void anUnknownKeyIsInvalidAndRefusedFromMemoryForAWhile() {
        String path = unique("/api/v1/requests");
        String unknown = "dh_test_" + "Z".repeat(32);
        int before = auth.verifyCallsForUnknownKeys();
        for (int i = 0; i < 3; i++) {
            EntityExchangeResult<byte[]> result = get(path, "X-API-Key", unknown);
            assertThat(result.getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
            assertThat(json(result).at("/error/code").asString()).isEqualTo("INVALID_API_KEY");
            assertThat(new String(result.getResponseBody())).doesNotContain(unknown);
        }
        assertThat(auth.verifyCallsForUnknownKeys()).isEqualTo(before + 1);

        // not shaped like a key: refused without asking
        EntityExchangeResult<byte[]> malformed = get(path, "X-API-Key", "dh_nonsense");
        assertThat(malformed.getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(auth.verifyCallsForUnknownKeys()).isEqualTo(before + 1);
        assertThat(received(path)).isEmpty();
    }

    @Test
    void aRevokedKeyIsRefusedAsSoonAsTheNoticeArrives() throws InterruptedException {
        TestKey key = auth.newKey("tenant-revoke", 100, 1000, 10000);
        assertThat(get(unique("/api/v1/requests"), "X-API-Key", key.value()).getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(get(unique("/api/v1/requests"), "X-API-Key", key.value()).getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(auth.verifyCalls(key)).isEqualTo(1);

        auth.refuse(key);
        // still cached: without the notice the gateway cannot know yet
        assertThat(get(unique("/api/v1/requests"), "X-API-Key", key.value()).getStatus()).isEqualTo(HttpStatus.OK);
        Long receivers = redis.convertAndSend(keys.key("auth:api-key-changed"), "{\"eventId\":\"e1\",\"keyId\":\""
                + key.keyId() + "\",\"tenantId\":\"tenant-revoke\",\"change\":\"revoked\"}");
        assertThat(receivers).isPositive();

        HttpStatus status = TestIdentity.awaitStatus(client, key, HttpStatus.UNAUTHORIZED);
        assertThat(status).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(auth.verifyCalls(key)).isEqualTo(2);
    }

    @Test
    void aRotatedKeyVerifiesAgainWhileDeprecatedAndIsRefusedOnceRotatedOut() throws InterruptedException {
        TestKey old = auth.newKey("tenant-rotate", 100, 1000, 10000);
        assertThat(get(unique("/api/v1/requests"), "X-API-Key", old.value()).getStatus()).isEqualTo(HttpStatus.OK);

        auth.deprecate(old);
        TestKey replacement = auth.newKey("tenant-rotate", 100, 1000, 10000);
        redis.convertAndSend(keys.key("auth:api-key-changed"), "{\"keyId\":\"" + old.keyId() + "\",\"change\":\"rotated\"}");
        // the notice drops the cached verification: the next request verifies again (the cache alone would keep it
        // far longer than this wait)
        await("the rotated key verified again").atMost(Duration.ofSeconds(30)).until(() -> {
            assertThat(get(unique("/api/v1/requests"), "X-API-Key", old.value()).getStatus()).isEqualTo(HttpStatus.OK);
            return auth.verifyCalls(old) >= 2;
        });
        assertThat(auth.verifyCalls(old)).isEqualTo(2);
        assertThat(get(unique("/api/v1/requests"), "X-API-Key", replacement.value()).getStatus())
                .isEqualTo(HttpStatus.OK);

        auth.refuse(old);
        redis.convertAndSend(keys.key("auth:api-key-changed"), "{\"keyId\":\"" + old.keyId() + "\",\"change\":\"expired\"}");
        assertThat(TestIdentity.awaitStatus(client, old, HttpStatus.UNAUTHORIZED)).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(get(unique("/api/v1/requests"), "X-API-Key", replacement.value()).getStatus())
                .isEqualTo(HttpStatus.OK);
        assertThat(auth.verifyCalls(replacement)).isEqualTo(1);
    }

    @Test
    void publicPathsNeedNoCredentialsAndNeverForwardAnApiKey() {
        TestKey key = auth.newKey("tenant-public", 100, 1000, 10000);
        EntityExchangeResult<byte[]> token = client.post().uri("/oauth2/token")
                .header(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder().encodeToString(
                        (TestAuthService.CLIENT_ID + ":" + TestAuthService.CLIENT_SECRET).getBytes()))
                .header(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
                .bodyValue("grant_type=client_credentials")
                .exchange().expectBody().returnResult();
        assertThat(token.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(json(token).get("access_token").asString()).isNotBlank();

        String check = "/v1/check";
        int before = received(check).size();
        EntityExchangeResult<byte[]> result = client.post().uri(check).header("X-API-Key", key.value())
                .header(HttpHeaders.CONTENT_TYPE, "application/json").bodyValue("{\"apiKey\":\"RAT-x\"}")
                .exchange().expectBody().returnResult();
        assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(received(check)).hasSize(before + 1);
        assertThat(backend.last(check).headers().containsKey("X-API-Key")).isFalse();
        // not limited per key either
        assertThat(result.getResponseHeaders().getFirst("X-RateLimit-Limit")).isNull();

        EntityExchangeResult<byte[]> bearer = client.post().uri(check)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + key.value())
                .header(HttpHeaders.CONTENT_TYPE, "application/json").bodyValue("{\"apiKey\":\"RAT-x\"}")
                .exchange().expectBody().returnResult();
        assertThat(bearer.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(backend.last(check).headers().containsKey(HttpHeaders.AUTHORIZATION)).isFalse();
        assertThat(auth.verifyCalls(key)).isZero();
    }

    @Test
    void whenAuthServiceIsDownAnUncachedKeyIsA503NotA401AndCachedCallersStillPass() {
        TestKey cached = auth.newKey("tenant-down", 100, 1000, 10000);
        TestKey fresh = auth.newKey("tenant-down", 100, 1000, 10000);
        String token = jwt("tenant-down");
        assertThat(get(unique("/api/v1/requests"), "X-API-Key", cached.value()).getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(get(unique("/kms/v1/keys"), HttpHeaders.AUTHORIZATION, "Bearer " + token).getStatus())
                .isEqualTo(HttpStatus.OK);

        auth.stop();
        try {
            EntityExchangeResult<byte[]> down = get(unique("/api/v1/requests"), "X-API-Key", fresh.value());
            assertThat(down.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            JsonNode body = json(down);
            assertThat(body.at("/error/code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(body.at("/error/details/dependency").asString()).isEqualTo("auth-service");
            assertThat(down.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");

            EntityExchangeResult<byte[]> qnsp = get(unique("/kms/v1/keys"), "X-API-Key", fresh.value());
            assertThat(qnsp.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(json(qnsp).get("error").asString()).isEqualTo("SERVICE_UNAVAILABLE");

            // a verified key and the JWKS are remembered
            assertThat(get(unique("/api/v1/requests"), "X-API-Key", cached.value()).getStatus())
                    .isEqualTo(HttpStatus.OK);
            assertThat(get(unique("/kms/v1/keys"), HttpHeaders.AUTHORIZATION, "Bearer " + token).getStatus())
                    .isEqualTo(HttpStatus.OK);
        } finally {
            auth.start();
        }
        // a failure is not remembered: the key verifies as soon as auth-service answers
        assertThat(get(unique("/api/v1/requests"), "X-API-Key", fresh.value()).getStatus()).isEqualTo(HttpStatus.OK);
    }

    private static List<StubBackend.Received> received(String path) {
        return backend.received().stream().filter(request -> request.path().equals(path)).toList();
    }
}
