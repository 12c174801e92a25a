package io.qnsp.billing.credit;

import io.qnsp.billing.BillingApi;
import io.qnsp.billing.BillingIntegrationTest;
import io.qnsp.test.time.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.qnsp.billing.BillingApi.body;
import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.billing.BillingAssertions.assertMoney;
import static io.qnsp.test.http.ApiAssertions.assertNotFound;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Promotion codes: defined by the operator, each redeemed at most once per tenant for a promotional credit. */
@BillingIntegrationTest
class PromotionIntegrationTests {

    static final Instant NOW = Instant.parse("2033-07-01T12:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    TestClock clock;

    String tenant;
    BillingApi api;
    BillingApi operator;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = BillingApi.tenant(port, tenant);
        operator = BillingApi.operator(port);
        clock.pin(NOW);
    }

    @AfterEach
    void releaseClock() {
        clock.release();
    }

    private static String code(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private JsonNode define(String code, String amount, Integer maxRedemptions, String expiresAt, Integer days) {
        Map<String, Object> request = body("code", code, "description", "test promotion",
                "creditAmount", new BigDecimal(amount), "maxRedemptions", maxRedemptions, "expiresAt", expiresAt,
                "creditValidityDays", days);
        return ok(operator.post("/billing/v1/promotions", request), 201);
    }

    private JsonNode redeem(BillingApi who, String tenantId, String code) {
        return ok(who.post("/billing/v1/promotions/redeem", body("tenantId", tenantId, "code", code)));
    }

    @Test
    void aTenantRedeemsACodeOnceForACreditThatExpiresAsDefined() {
        String code = code("WELCOME");
        JsonNode promotion = define(code, "10.00", null, null, 30);
        assertThat(promotion.get("code").asString()).isEqualTo(code);
        assertThat(promotion.get("redemptions").asInt()).isZero();

        JsonNode redeemed = redeem(api, tenant, code.toLowerCase());
        assertThat(redeemed.get("success").asBoolean()).isTrue();
        assertMoney(redeemed.get("creditAmount"), "10.00");
        assertThat(redeemed.get("reason").asString()).isEqualTo("redeemed");
        assertThat(redeemed.get("message").asString()).contains("10.00 USD");
        assertThat(Instant.parse(redeemed.get("creditExpiresAt").asString())).isEqualTo(NOW.plus(Duration.ofDays(30)));

        JsonNode balance = ok(api.get("/billing/v1/credits/balance/" + tenant));
        assertMoney(balance.get("balance"), "10.00");
        assertThat(balance.get("expiringCredits").get(0).get("type").asString()).isEqualTo("promotional");

        JsonNode twice = redeem(api, tenant, code);
        assertThat(twice.get("success").asBoolean()).isFalse();
        assertThat(twice.get("reason").asString()).isEqualTo("already_redeemed");
        assertMoney(twice.get("creditAmount"), "0.00");
        assertMoney(ok(api.get("/billing/v1/credits/balance/" + tenant)).get("balance"), "10.00");

        String other = "tenant-" + UUID.randomUUID();
        assertThat(redeem(BillingApi.tenant(port, other), other, code).get("success").asBoolean()).isTrue();
        JsonNode listed = ok(operator.get("/billing/v1/promotions?limit=100")).get("promotions");
        JsonNode mine = null;
        for (JsonNode p : listed) {
            if (p.get("code").asString().equals(code)) {
                mine = p;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.get("redemptions").asInt()).isEqualTo(2);
    }

    @Test
    void unknownExpiredAndUsedUpCodesAreAnsweredWithTheReason() {
        JsonNode unknown = redeem(api, tenant, "NO-SUCH-CODE");
        assertThat(unknown.get("success").asBoolean()).isFalse();
        assertThat(unknown.get("reason").asString()).isEqualTo("unknown_code");

        String shortLived = code("FLASH");
        define(shortLived, "5.00", null, NOW.plus(Duration.ofHours(1)).toString(), null);
        clock.pin(NOW.plus(Duration.ofHours(2)));
        JsonNode expired = redeem(api, tenant, shortLived);
        assertThat(expired.get("success").asBoolean()).isFalse();
        assertThat(expired.get("reason").asString()).isEqualTo("expired");

        String single = code("ONCE");
        define(single, "50.00", 1, null, null);
        assertThat(redeem(api, tenant, single).get("success").asBoolean()).isTrue();
        String late = "tenant-" + UUID.randomUUID();
        JsonNode usedUp = redeem(BillingApi.tenant(port, late), late, single);
        assertThat(usedUp.get("success").asBoolean()).isFalse();
        assertThat(usedUp.get("reason").asString()).isEqualTo("exhausted");
        assertMoney(ok(api.get("/billing/v1/credits/balance/" + tenant)).get("balance"), "50.00");
        // a credit that never expires is not among the expiring ones
        assertThat(ok(api.get("/billing/v1/credits/balance/" + tenant)).get("expiringCredits")).isEmpty();
    }

    @Test
    void aSingleUseCodeRedeemedByManyTenantsAtOnceGoesToExactlyOne() throws Exception {
        String single = code("RACE");
        define(single, "7.00", 1, null, null);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<ResponseEntity<JsonNode>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String racer = "tenant-" + UUID.randomUUID();
                calls.add(() -> BillingApi.tenant(port, racer).post("/billing/v1/promotions/redeem",
                        body("tenantId", racer, "code", single)));
            }
            int succeeded = 0;
            for (Future<ResponseEntity<JsonNode>> answer : pool.invokeAll(calls)) {
                JsonNode body = ok(answer.get());
                succeeded += body.get("success").asBoolean() ? 1 : 0;
            }
            assertThat(succeeded).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void onlyTheOperatorDefinesCodesAndATenantRedeemsOnlyForItself() {
        Map<String, Object> valid = body("code", code("OPS"), "creditAmount", new BigDecimal("5"));
        assertStatus(BillingApi.tenantAdmin(port, tenant).post("/billing/v1/promotions", valid), 403);
        assertStatus(api.get("/billing/v1/promotions"), 403);
        assertFieldRefused(operator.post("/billing/v1/promotions", body("code", "x!", "creditAmount", 5)), "code");
        assertFieldRefused(operator.post("/billing/v1/promotions", body("code", code("A"))), "creditAmount");
        assertFieldRefused(operator.post("/billing/v1/promotions", body("code", code("A"), "creditAmount", 5,
                "maxRedemptions", 0)), "maxRedemptions");
        assertFieldRefused(operator.post("/billing/v1/promotions", body("code", code("A"), "creditAmount", 5,
                "expiresAt", "2000-01-01T00:00:00Z")), "expiresAt");
        ok(operator.post("/billing/v1/promotions", valid), 201);
        assertStatus(operator.post("/billing/v1/promotions", valid), 409);

        String other = "tenant-" + UUID.randomUUID();
        assertNotFound(api.post("/billing/v1/promotions/redeem", body("tenantId", other, "code", valid.get("code"))));
        assertFieldRefused(api.post("/billing/v1/promotions/redeem", body("tenantId", tenant)), "code");
        assertFieldRefused(api.post("/billing/v1/promotions/redeem", body("code", "X")), "tenantId");
        // the operator may redeem on a tenant's behalf
        assertThat(redeem(operator, other, (String) valid.get("code")).get("success").asBoolean()).isTrue();
        assertMoney(ok(operator.get("/billing/v1/credits/balance/" + other)).get("balance"), "5.00");
    }
}
