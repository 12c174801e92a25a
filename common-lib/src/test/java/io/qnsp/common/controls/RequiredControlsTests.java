package io.qnsp.common.controls;

import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.OutboxEvent;
import io.qnsp.common.events.UsageEvent;
import io.qnsp.common.web.testapp.HttpTestApplication;
import io.qnsp.common.web.testapp.TestHttp;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** @RequiredControls enforced for real: over HTTP, against PostgreSQL and Redis, with a transactional outbox. */
@SpringBootTest(classes = {HttpTestApplication.class, ControlledController.class, ControlsTestConfiguration.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.application.name=controls-tests",
                "qnsp.controls.quota.default.kms.keys=2",
                "qnsp.controls.quota.pro.kms.keys=3",
                "qnsp.security.public-paths=/open/**",
                "qnsp.security.admin-token=" + RequiredControlsTests.ADMIN_TOKEN})
@EmbeddedInfrastructure
class RequiredControlsTests {

    static final String ADMIN_TOKEN = "controls-admin-token";

    @LocalServerPort
    int port;

    @Autowired
    RecordingEventOutbox outbox;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    QuotaCounter quota;

    @Autowired
    Clock clock;

    TestHttp http;
    String tenant;
    String requestId;

    @BeforeEach
    void setUp() {
        http = new TestHttp(port);
        tenant = "tenant-" + UUID.randomUUID();
        requestId = "req-" + UUID.randomUUID();
    }

    @Test
    void successIsAuditedAndMeteredInTheSameTransactionAsTheChange() {
        String token = TestTokens.forTenant(tenant).subject("user-7").scopes("kms:write").mint();
        Instant before = clock.instant();

        TestHttp.Response response = createKey(token, "signing-key", false);

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        String keyId = response.json().get("id").asString();
        assertThat(jdbc.queryForObject("select count(*) from controlled_keys where id = ?", Long.class, keyId))
                .isEqualTo(1);
        List<OutboxEvent> committed = committedFor(requestId);
        assertThat(committed).hasSize(2);
        AuditEvent audit = (AuditEvent) committed.get(0);
        assertThat(audit.eventId()).isNotNull();
        assertThat(audit.occurredAt()).isBetween(before.minusSeconds(1), clock.instant());
        assertThat(audit.tenantId()).isEqualTo(tenant);
        assertThat(audit.actor()).isEqualTo("user-7");
        assertThat(audit.action()).isEqualTo("kms.key.created");
        assertThat(audit.resourceType()).isEqualTo("key");
        assertThat(audit.resourceId()).isEqualTo(keyId);
        assertThat(audit.outcome()).isEqualTo("success");
        assertThat(audit.requestId()).isEqualTo(requestId);
        assertThat(audit.service()).isEqualTo("controls-tests");
        UsageEvent usage = (UsageEvent) committed.get(1);
        assertThat(usage.operation()).isEqualTo("kms.key.create");
        assertThat(usage.quantity()).isEqualTo(1);
        assertThat(usage.tenantId()).isEqualTo(tenant);
        assertThat(usage.principal()).isEqualTo("user-7");
        assertThat(usage.requestId()).isEqualTo(requestId);
        assertThat(usage.service()).isEqualTo("controls-tests");
        assertThat(outbox.appendedInTransaction(audit)).isTrue();
        assertThat(outbox.appendedInTransaction(usage)).isTrue();
        assertThat(quota.used(tenant, "kms.keys")).isEqualTo(1);
    }

    @Test
    void exceptionRollsBackTheChangeAndIsAuditedAsFailureWithoutUsage() {
        String token = TestTokens.forTenant(tenant).subject("user-8").scopes("kms:write").mint();
        String name = "doomed-" + UUID.randomUUID();

        TestHttp.Response response = createKey(token, name, true);

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.json().get("error").asString()).isEqualTo("INTERNAL_ERROR");
        assertThat(jdbc.queryForObject("select count(*) from controlled_keys where name = ?", Long.class, name))
                .isZero();
        List<OutboxEvent> committed = committedFor(requestId);
        assertThat(committed).hasSize(1);
        AuditEvent failure = (AuditEvent) committed.getFirst();
        assertThat(failure.outcome()).isEqualTo("failure");
        assertThat(failure.action()).isEqualTo("kms.key.created");
        assertThat(failure.tenantId()).isEqualTo(tenant);
        assertThat(failure.actor()).isEqualTo("user-8");
        assertThat(failure.resourceId()).isNull();
        assertThat(failure.requestId()).isEqualTo(requestId);
        assertThat(failure.details()).containsEntry("status", "500").containsEntry("code", "internal_error");
        assertThat(failure.details().toString()).doesNotContain("HSM");
        assertThat(outbox.appendedInTransaction(failure)).isTrue();
        assertThat(quota.used(tenant, "kms.keys")).isZero();
    }

    @Test
    void failureAtCommitRollsBackTheChangeTogetherWithItsSuccessEvents() {
        String token = TestTokens.forTenant(tenant).scopes("kms:write").mint();
        assertThat(createKey(token, "twice", false).status()).isEqualTo(201);
        requestId = "req-" + UUID.randomUUID();

        // the duplicate passes the insert and fails the deferred constraint at commit, after the events were appended
        TestHttp.Response duplicate = createKey(token, "twice", false);

        assertThat(duplicate.status()).isEqualTo(500);
        assertThat(jdbc.queryForObject("select count(*) from controlled_keys where tenant_id = ? and name = 'twice'",
                Long.class, tenant)).isEqualTo(1);
        List<OutboxEvent> appended = outbox.appended().stream().filter(e -> requestId.equals(requestIdOf(e))).toList();
        assertThat(appended).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(AuditEvent.class,
                a -> assertThat(a.outcome()).isEqualTo("success")));
        assertThat(appended).anySatisfy(e -> assertThat(e).isInstanceOf(UsageEvent.class));
        assertThat(committedFor(requestId)).singleElement().isInstanceOfSatisfying(AuditEvent.class,
                a -> assertThat(a.outcome()).isEqualTo("failure"));
        assertThat(quota.used(tenant, "kms.keys")).isEqualTo(1);
    }

    @Test
    void missingScopeIsRefusedNamingItAndAuditedAsDenied() {
        String token = TestTokens.forTenant(tenant).scopes("kms:read").mint();
        String name = "not-allowed-" + UUID.randomUUID();

        TestHttp.Response response = createKey(token, name, false);

        assertThat(response.status()).isEqualTo(403);
        JsonNode body = response.json();
        assertThat(body.get("error").asString()).isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(body.get("message").asString()).contains("kms:write");
        assertThat(body.get("details").get("missingScopes").toString()).isEqualTo("[\"kms:write\"]");
        assertThat(jdbc.queryForObject("select count(*) from controlled_keys where name = ?", Long.class, name))
                .isZero();
        List<OutboxEvent> committed = committedFor(requestId);
        assertThat(committed).hasSize(1);
        AuditEvent denied = (AuditEvent) committed.getFirst();
        assertThat(denied.outcome()).isEqualTo("denied");
        assertThat(denied.details()).containsEntry("status", "403").containsEntry("code", "insufficient_scope");
    }

    @Test
    void adminEndpointsNeedTheAdminRole() {
        String user = TestTokens.forTenant(tenant).scopes("kms:write").mint();
        String admin = TestTokens.forTenant(tenant).roles("admin").mint();

        TestHttp.Response refused = http.get("/admin/stats", "Authorization", TestHttp.bearer(user));
        TestHttp.Response byRole = http.get("/admin/stats", "Authorization", TestHttp.bearer(admin));
        TestHttp.Response byToken = http.get("/admin/stats", "X-Admin-Token", ADMIN_TOKEN, "X-Request-Id", requestId);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("error").asString()).isEqualTo("FORBIDDEN");
        assertThat(byRole.status()).isEqualTo(200);
        assertThat(byToken.status()).isEqualTo(200);
        AuditEvent audit = (AuditEvent) committedFor(requestId).getFirst();
        assertThat(audit.actor()).isEqualTo("admin-token");
        assertThat(audit.tenantId()).isNull();
        assertThat(audit.outcome()).isEqualTo("success");
    }

    @Test
    void namedRolesAreRequiredOnTopOfAdmin() {
        String tenantAdmin = TestTokens.forTenant(tenant).roles("admin").mint();
        String operator = TestTokens.forTenant(tenant).roles("admin", "platform_admin").mint();

        TestHttp.Response refused = http.get("/admin/tenants", "Authorization", TestHttp.bearer(tenantAdmin));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("details").get("role").asString()).isEqualTo("platform_admin");
        assertThat(http.get("/admin/tenants", "Authorization", TestHttp.bearer(operator)).status()).isEqualTo(200);
    }

    @Test
    void adminRoleHoldsEveryScope() {
        String admin = TestTokens.forTenant(tenant).roles("admin").mint();

        assertThat(createKey(admin, "by-admin", false).status()).isEqualTo(201);
    }

    @Test
    void adminScopeHoldsEveryScopeButIsNoAdminRole() {
        String adminScope = TestTokens.forTenant(tenant).scopes("admin").mint();

        assertThat(createKey(adminScope, "by-admin-scope", false).status()).isEqualTo(201);
        TestHttp.Response adminOnly = http.get("/admin/stats", "Authorization", TestHttp.bearer(adminScope));
        assertThat(adminOnly.status()).isEqualTo(403);
        assertThat(adminOnly.json().get("error").asString()).isEqualTo("FORBIDDEN");
    }

    @Test
    void addOnEndpointsNeedTheAddOn() {
        String without = TestTokens.forTenant(tenant).scopes("kms:write").mint();
        String with = TestTokens.forTenant(tenant).scopes("kms:write").addOns("byohsm").mint();

        TestHttp.Response refused = http.postJson("/kms/hsm", "{\"name\":\"hsm-1\"}",
                "Authorization", TestHttp.bearer(without));
        TestHttp.Response allowed = http.postJson("/kms/hsm", "{\"name\":\"hsm-1\"}",
                "Authorization", TestHttp.bearer(with), "X-Request-Id", requestId);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("error").asString()).isEqualTo("ADDON_REQUIRED");
        assertThat(refused.json().get("details").get("addOn").asString()).isEqualTo("byohsm");
        assertThat(allowed.status()).isEqualTo(200);
        AuditEvent audit = (AuditEvent) committedFor(requestId).getFirst();
        assertThat(audit.resourceId()).isEqualTo("hsm:hsm-1");
        assertThat(audit.resourceType()).isEqualTo("hsm");
    }

    @Test
    void controlsRefuseAnUnauthenticatedCallerEvenOnAPublicPath() {
        TestHttp.Response anonymous = http.get("/open/report");
        TestHttp.Response authorized = http.get("/open/report", "Authorization",
                TestHttp.bearer(TestTokens.forTenant(tenant).scopes("reports:read").mint()));

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("error").asString()).isEqualTo("UNAUTHORIZED");
        assertThat(authorized.status()).isEqualTo(200);
    }

    @Test
    void quotaIsCountedPerTenantAndRefusedPastThePlanLimit() {
        String token = TestTokens.forTenant(tenant).scopes("kms:write").mint();
        String otherTenant = TestTokens.forTenant(tenant + "-other").scopes("kms:write").mint();

        assertThat(createKey(token, "q1", false).status()).isEqualTo(201);
        assertThat(createKey(token, "q2", false).status()).isEqualTo(201);
        requestId = "req-" + UUID.randomUUID();
        TestHttp.Response refused = createKey(token, "q3", false);

        assertThat(refused.status()).isEqualTo(429);
        JsonNode body = refused.json();
        assertThat(body.get("error").asString()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(body.get("details").get("resource").asString()).isEqualTo("kms.keys");
        assertThat(body.get("details").get("limit").asLong()).isEqualTo(2);
        assertThat(body.get("details").get("window").asString())
                .isEqualTo(YearMonth.now(clock).toString());
        assertThat(jdbc.queryForObject("select count(*) from controlled_keys where tenant_id = ?", Long.class, tenant))
                .isEqualTo(2);
        assertThat(committedFor(requestId)).singleElement().isInstanceOfSatisfying(AuditEvent.class,
                a -> assertThat(a.outcome()).isEqualTo("denied"));
        assertThat(createKey(otherTenant, "q1", false).status()).isEqualTo(201);
        assertThat(quota.used(tenant, "kms.keys")).isEqualTo(2);
    }

    @Test
    void planLimitOverridesTheDefault() {
        String token = TestTokens.forTenant(tenant).plan("pro").scopes("kms:write").mint();

        for (int i = 0; i < 3; i++) {
            assertThat(createKey(token, "pro-" + i, false).status()).isEqualTo(201);
        }
        TestHttp.Response refused = createKey(token, "pro-3", false);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("details").get("limit").asLong()).isEqualTo(3);
    }

    @Test
    void aTenantsOwnQuotaFromItsTokenOverridesThePlan() {
        String token = TestTokens.forTenant(tenant).plan("pro").scopes("kms:write")
                .claim("quotas", java.util.Map.of("kms.keys", 1)).mint();

        assertThat(createKey(token, "own-0", false).status()).isEqualTo(201);
        TestHttp.Response refused = createKey(token, "own-1", false);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("details").get("limit").asLong()).isEqualTo(1);
    }

    @Test
    void failedCallsDoNotUseQuota() {
        String token = TestTokens.forTenant(tenant).scopes("kms:write").mint();

        assertThat(createKey(token, "fails-1", true).status()).isEqualTo(500);
        assertThat(createKey(token, "fails-2", true).status()).isEqualTo(500);
        assertThat(createKey(token, "ok-1", false).status()).isEqualTo(201);
        assertThat(createKey(token, "ok-2", false).status()).isEqualTo(201);
        assertThat(createKey(token, "ok-3", false).status()).isEqualTo(429);
    }

    @Test
    void resourceIdFromArgumentsIsKnownEvenWhenTheCallFails() {
        String token = TestTokens.forTenant(tenant).scopes("kms:write").mint();

        TestHttp.Response response = http.send(http.request("/kms/keys/key-missing",
                "Authorization", TestHttp.bearer(token), "X-Request-Id", requestId).DELETE());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("error").asString()).isEqualTo("KEY_NOT_FOUND");
        AuditEvent audit = (AuditEvent) committedFor(requestId).getFirst();
        assertThat(audit.outcome()).isEqualTo("failure");
        assertThat(audit.action()).isEqualTo("kms.key.deleted");
        assertThat(audit.resourceId()).isEqualTo("key-missing");
        assertThat(audit.details()).containsEntry("status", "404").containsEntry("code", "key_not_found");
    }

    @Test
    void auditDetailsFromTheArgumentsGoWithTheEventOfASuccessOrAFailure() {
        String token = TestTokens.forTenant(tenant).scopes("kms:write").mint();
        String keyId = createKey(token, "detailed", false).json().get("id").asString();

        TestHttp.Response deleted = http.send(http.request("/kms/keys/" + keyId + "?reason=rotated%20out",
                "Authorization", TestHttp.bearer(token), "X-Request-Id", requestId + "-1").DELETE());
        TestHttp.Response missing = http.send(http.request("/kms/keys/key-missing?reason=cleanup",
                "Authorization", TestHttp.bearer(token), "X-Request-Id", requestId + "-2").DELETE());
        TestHttp.Response plain = http.send(http.request("/kms/keys/key-missing",
                "Authorization", TestHttp.bearer(token), "X-Request-Id", requestId + "-3").DELETE());

        assertThat(deleted.status()).isEqualTo(204);
        AuditEvent success = (AuditEvent) committedFor(requestId + "-1").getFirst();
        assertThat(success.outcome()).isEqualTo("success");
        assertThat(success.details()).containsExactly(java.util.Map.entry("reason", "rotated out"));
        assertThat(missing.status()).isEqualTo(404);
        AuditEvent failure = (AuditEvent) committedFor(requestId + "-2").getFirst();
        assertThat(failure.details()).containsEntry("reason", "cleanup").containsEntry("status", "404")
                .doesNotContainKey("unset");
        assertThat(plain.status()).isEqualTo(404);
        assertThat(((AuditEvent) committedFor(requestId + "-3").getFirst()).details()).doesNotContainKey("reason");
    }

    @Test
    void meteringAloneNeedsNoEntitlementAndPublishesOnlyUsage() {
        String token = TestTokens.forTenant(tenant).subject("reader").mint();

        TestHttp.Response response = http.get("/kms/usage", "Authorization", TestHttp.bearer(token),
                "X-Request-Id", requestId);

        assertThat(response.status()).isEqualTo(200);
        assertThat(committedFor(requestId)).singleElement().isInstanceOfSatisfying(UsageEvent.class, usage -> {
            assertThat(usage.operation()).isEqualTo("kms.usage.read");
            assertThat(usage.tenantId()).isEqualTo(tenant);
            assertThat(usage.principal()).isEqualTo("reader");
        });
    }

    @Test
    void quotaWindowsAreCalendarPeriodsInUtc() {
        Instant instant = Instant.parse("2025-10-31T23:59:59Z");

        assertThat(QuotaWindow.MONTH.windowOf(instant)).isEqualTo("2025-10");
        assertThat(QuotaWindow.MONTH.windowOf(instant.plus(Duration.ofSeconds(1)))).isEqualTo("2025-11");
        assertThat(QuotaWindow.DAY.windowOf(instant)).isEqualTo("2025-10-31");
    }

    private TestHttp.Response createKey(String token, String name, boolean fail) {
        return http.send(http.request("/kms/keys", "Authorization", TestHttp.bearer(token), "X-Request-Id", requestId)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"fail\":" + fail + "}")));
    }

    private List<OutboxEvent> committedFor(String id) {
        return outbox.committed().stream().filter(e -> id.equals(requestIdOf(e))).toList();
    }

    private static String requestIdOf(OutboxEvent event) {
        return switch (event) {
            case AuditEvent audit -> audit.requestId();
            case UsageEvent usage -> usage.requestId();
            default -> null;
        };
    }
}
