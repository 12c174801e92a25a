package io.qnsp.gateway.tenantstatus;

import io.qnsp.gateway.TestAuthService;
import io.qnsp.gateway.TestAuthService.TestKey;
import io.qnsp.gateway.TestIdentity;
import io.qnsp.gateway.web.StubBackend;
import io.qnsp.test.infra.TestRedis;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway following billing-service's {@code tenant-status} stream: a suspended or cancelled tenant's calls are
 * refused with 403 in the path's family, before any service sees them; billing-service's paths, the operator's
 * tenant and the tenants the stream never named pass.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TenantSuspensionIntegrationTests {

    private static final StubBackend backend = StubBackend.start();
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PREFIX = "gwts" + UUID.randomUUID().toString().substring(0, 8) + ":";

    /** Suspended before the gateway started. */
    private static final String SUSPENDED_AT_START = "tenant-suspended-at-start";
    /** Suspended and reinstated before the gateway started. */
    private static final String REINSTATED_BEFORE_START = "tenant-reinstated-before-start";

    static {
        TenantStatusStream.beforeStart(TestRedis.shared(), PREFIX, stream -> {
            stream.suspended(REINSTATED_BEFORE_START);
            stream.unreadable();
            stream.suspended(SUSPENDED_AT_START);
            stream.reinstated(REINSTATED_BEFORE_START);
        });
    }

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestIdentity.properties(registry, TestRedis.shared(), backend);
        // the stream written above
        registry.add("qnsp.redis.key-prefix", () -> PREFIX);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    StringRedisTemplate redis;

    private WebTestClient client;
    private TenantStatusStream stream;

    @BeforeEach
    void connect() {
        client = TestIdentity.client(port);
        stream = new TenantStatusStream(redis, PREFIX);
    }

    private static String tenant(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String token(String tenantId) {
        return TestTokens.forTenant(tenantId).scopes("kms:read").audience("qnsp").mint();
    }

    private EntityExchangeResult<byte[]> get(String path, String tenantId) {
        return client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token(tenantId))
                .exchange().expectBody().returnResult();
    }

    private static String unique(String path) {
        return path + "/" + UUID.randomUUID();
    }

    private static JsonNode json(EntityExchangeResult<byte[]> result) {
        return JSON.readTree(result.getResponseBody());
    }

    /** Sends requests as the tenant until the gateway answers {@code expected}. */
    private void awaitStatus(String tenantId, HttpStatus expected) {
        await(tenantId + " answered " + expected).atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> get(unique("/kms/v1/keys"), tenantId).getStatus(), status -> status == expected);
    }

    private boolean reachedBackend(String path) {
        return backend.received().stream().anyMatch(received -> received.path().equals(path));
    }

    @Test
    void aTenantSuspendedBeforeTheGatewayStartedIsRefusedFromTheFirstCallInTheQnspAndDataHubFormats() {
        String qnspPath = unique("/kms/v1/keys");
        EntityExchangeResult<byte[]> qnsp = get(qnspPath, SUSPENDED_AT_START);

        assertThat(qnsp.getStatus()).isEqualTo(HttpStatus.FORBIDDEN);
        JsonNode body = json(qnsp);
        assertThat(body.get("statusCode").asInt()).isEqualTo(403);
        assertThat(body.get("error").asString()).isEqualTo("TENANT_SUSPENDED");
        assertThat(body.get("message").asString()).contains("suspended for billing");
        assertThat(body.at("/details/status").asString()).isEqualTo("suspended");
        assertThat(body.at("/details/tenantId").asString()).isEqualTo(SUSPENDED_AT_START);
        assertThat(body.at("/details/since").asString()).isNotBlank();
        assertThat(body.get("requestId").asString()).isEqualTo(qnsp.getResponseHeaders().getFirst("X-Request-Id"));
        // refused before the rate limiter: nothing charged, no rate-limit headers
        assertThat(qnsp.getResponseHeaders().getFirst("X-RateLimit-Remaining")).isNull();
        assertThat(reachedBackend(qnspPath)).isFalse();

        String dataHubPath = unique("/api/v1/requests");
        EntityExchangeResult<byte[]> dataHub = get(dataHubPath, SUSPENDED_AT_START);
        assertThat(dataHub.getStatus()).isEqualTo(HttpStatus.FORBIDDEN);
        JsonNode envelope = json(dataHub);
        assertThat(envelope.get("success").asBoolean()).isFalse();
        assertThat(envelope.at("/error/code").asString()).isEqualTo("TENANT_SUSPENDED");
        assertThat(envelope.at("/error/message").asString()).contains("suspended for billing");
        assertThat(envelope.at("/error/details/status").asString()).isEqualTo("suspended");
        assertThat(envelope.at("/meta/requestId").asString()).isNotBlank();
        assertThat(reachedBackend(dataHubPath)).isFalse();

        // the gateway's own route, documented with this 403
        EntityExchangeResult<byte[]> limits = get("/api/v1/rate-limits/status", SUSPENDED_AT_START);
        assertThat(limits.getStatus()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(json(limits).at("/error/code").asString()).isEqualTo("TENANT_SUSPENDED");

        // the KPI store's own family
        JsonNode kpi = json(get(unique("/api/v1/storage/kpi/definitions"), SUSPENDED_AT_START));
        assertThat(kpi.get("error").asString()).isEqualTo("tenant_suspended");
    }

    @Test
    void theLatestStatusReadAtStartDecidesAndATenantTheStreamNeverNamedPasses() {
        String path = unique("/kms/v1/keys");
        assertThat(get(path, REINSTATED_BEFORE_START).getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(reachedBackend(path)).isTrue();

        EntityExchangeResult<byte[]> unknown = get(unique("/api/v1/requests"), tenant("tenant-never-named"));
        assertThat(unknown.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(unknown.getResponseHeaders().getFirst("X-RateLimit-Remaining")).isNotNull();
    }

    @Test
    void aSuspensionAfterStartTakesEffectAndReinstatementLetsTheTenantThroughAgain() {
        String tenantId = tenant("tenant-dunning");
        assertThat(get(unique("/kms/v1/keys"), tenantId).getStatus()).isEqualTo(HttpStatus.OK);

        stream.suspended(tenantId);
        awaitStatus(tenantId, HttpStatus.FORBIDDEN);

        stream.reinstated(tenantId);
        awaitStatus(tenantId, HttpStatus.OK);
        assertThat(get(unique("/api/v1/requests"), tenantId).getStatus()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void aCancelledTenantIsRefusedNamingTheStatus() {
        String tenantId = tenant("tenant-cancelled");
        stream.suspended(tenantId);
        stream.cancelled(tenantId);
        await("the cancellation read").atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> json(get(unique("/kms/v1/keys"), tenantId)).at("/details/status").asString(""),
                        "cancelled"::equals);

        JsonNode body = json(get(unique("/kms/v1/keys"), tenantId));
        assertThat(body.get("error").asString()).isEqualTo("TENANT_SUSPENDED");
        assertThat(body.get("message").asString()).contains("cancelled for billing");
    }

    @Test
    void anApiKeyOfASuspendedTenantIsRefusedToo() {
        String tenantId = tenant("tenant-key");
        TestKey key = TestAuthService.shared().newKey(tenantId, 100, 1000, 10000);
        stream.suspended(tenantId);
        awaitStatus(tenantId, HttpStatus.FORBIDDEN);

        EntityExchangeResult<byte[]> result = client.get().uri(unique("/api/v1/requests"))
                .header("X-API-Key", key.value()).exchange().expectBody().returnResult();
        assertThat(result.getStatus()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(json(result).at("/error/code").asString()).isEqualTo("TENANT_SUSPENDED");
    }

    @Test
    void aSuspendedTenantStillReachesBillingToSeeItsInvoicesAndPay() {
        String tenantId = tenant("tenant-paying");
        stream.suspended(tenantId);
        awaitStatus(tenantId, HttpStatus.FORBIDDEN);

        String invoices = unique("/billing/v1/invoices");
        assertThat(get(invoices, tenantId).getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(reachedBackend(invoices)).isTrue();
        String pay = "/billing/v1/invoices/" + UUID.randomUUID() + "/pay";
        EntityExchangeResult<byte[]> paid = client.post().uri(pay)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token(tenantId)).exchange().expectBody().returnResult();
        assertThat(paid.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(reachedBackend(pay)).isTrue();
    }

    @Test
    void theOperatorsOwnTenantAndCallersWithoutATenantAreNeverRefused() {
        stream.suspended("platform");
        // entries are read in order: once the marker is refused, the operator's entry has been read
        String marker = tenant("tenant-marker");
        stream.suspended(marker);
        awaitStatus(marker, HttpStatus.FORBIDDEN);

        assertThat(get(unique("/kms/v1/keys"), "platform").getStatus()).isEqualTo(HttpStatus.OK);
        String operator = TestTokens.withoutTenant().audience("qnsp").mint();
        assertThat(client.get().uri(unique("/kms/v1/keys")).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange().expectBody().returnResult().getStatus()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void theHealthEndpointsAndPublicPathsAnswerASuspendedTenantAsAnyone() {
        assertThat(get("/health", SUSPENDED_AT_START).getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(get("/health/live", SUSPENDED_AT_START).getStatus()).isEqualTo(HttpStatus.OK);
        // a public path of a service: the token endpoint, which auth-service guards itself
        assertThat(get("/.well-known/openid-configuration", SUSPENDED_AT_START).getStatus())
                .isNotEqualTo(HttpStatus.FORBIDDEN);
    }
}
