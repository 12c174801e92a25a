package io.qnsp.gateway.ratelimit;

import io.qnsp.gateway.TestAuthService;
import io.qnsp.gateway.TestAuthService.TestKey;
import io.qnsp.gateway.TestIdentity;
import io.qnsp.gateway.web.StubBackend;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant-wide window: every key of a tenant is charged against it too, in the same decision as its own windows.
 * At 2 requests per minute it regains a request every 30 s, far longer than the few requests below take.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "qnsp.gateway.rate-limit.tenant-total.requests-per-minute=2")
class GatewayTenantTotalIntegrationTests {

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

    @LocalServerPort
    int port;

    private final TestAuthService auth = TestAuthService.shared();
    private WebTestClient client;

    @BeforeEach
    void connect() {
        client = TestIdentity.client(port);
    }

    private EntityExchangeResult<byte[]> withKey(String path, TestKey key) {
        return client.get().uri(path).header("X-API-Key", key.value()).exchange().expectBody().returnResult();
    }

    private static long header(EntityExchangeResult<?> result, String name) {
        String value = result.getResponseHeaders().getFirst(name);
        assertThat(value).as(name).isNotNull();
        return Long.parseLong(value);
    }

    @Test
    void twoKeysOfOneTenantShareTheTenantsWindowAndARefusalChargesNeitherKey() {
        String tenant = "tenant-total-" + UUID.randomUUID();
        // each key alone could send 10 a minute; together they may send 2
        TestKey first = auth.newKey(tenant, 10, 100, 1000);
        TestKey second = auth.newKey(tenant, 10, 100, 1000);
        String path = "/api/v1/requests/" + UUID.randomUUID();

        EntityExchangeResult<byte[]> one = withKey(path, first);
        assertThat(one.getStatus()).isEqualTo(HttpStatus.OK);
        // the tenant's window has the fewest requests left, so its figures are the headers'
        assertThat(header(one, "X-RateLimit-Limit")).isEqualTo(2);
        assertThat(header(one, "X-RateLimit-Remaining")).isEqualTo(1);
        EntityExchangeResult<byte[]> two = withKey(path, second);
        assertThat(two.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(header(two, "X-RateLimit-Remaining")).isZero();

        for (TestKey key : new TestKey[] {second, first}) {
            EntityExchangeResult<byte[]> refused = withKey(path, key);
            assertThat(refused.getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
            assertThat(header(refused, "X-RateLimit-Limit")).isEqualTo(2);
            assertThat(header(refused, HttpHeaders.RETRY_AFTER)).isBetween(1L, 30L);
            assertThat(JSON.readTree(refused.getResponseBody()).at("/error/details/limit").asLong()).isEqualTo(2);
        }
        assertThat(backend.received().stream().filter(request -> request.path().equals(path))).hasSize(2);

        // the refusals took nothing from the keys' own windows: each key has spent one request of its hour
        for (TestKey key : new TestKey[] {first, second}) {
            EntityExchangeResult<byte[]> status = withKey("/api/v1/rate-limits/status", key);
            assertThat(status.getStatus()).isEqualTo(HttpStatus.OK);
            JsonNode limits = JSON.readTree(status.getResponseBody()).at("/data/limits");
            assertThat(limits.at("/perHour/remaining").asLong()).isEqualTo(99);
            assertThat(limits.at("/perDay/remaining").asLong()).isEqualTo(999);
            // the body lists the key's own windows; the headers follow the tightest, the tenant's
            assertThat(limits.propertyNames()).containsExactly("perMinute", "perHour", "perDay");
            assertThat(header(status, "X-RateLimit-Limit")).isEqualTo(2);
            assertThat(header(status, "X-RateLimit-Remaining")).isZero();
        }

        // another tenant's key is not held back by this tenant's window
        TestKey elsewhere = auth.newKey("tenant-total-other-" + UUID.randomUUID(), 10, 100, 1000);
        assertThat(withKey(path, elsewhere).getStatus()).isEqualTo(HttpStatus.OK);
    }
}
