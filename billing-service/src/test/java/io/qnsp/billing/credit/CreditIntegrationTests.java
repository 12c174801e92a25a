package io.qnsp.billing.credit;

import io.qnsp.billing.BillingApi;
import io.qnsp.billing.BillingIntegrationTest;
import io.qnsp.test.time.TestClock;
import io.qnsp.billing.UsageStream;
import io.qnsp.billing.invoice.InvoiceFinalization;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.events.UsageEvent;
import io.qnsp.common.redis.RedisKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.billing.BillingApi.body;
import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.billing.BillingAssertions.assertMoney;
import static io.qnsp.test.http.ApiAssertions.assertNotFound;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Credits granted by the operator, their balance, and how finalization spends them: oldest-expiring first. */
@BillingIntegrationTest
class CreditIntegrationTests {

    static final Instant FEBRUARY = Instant.parse("2033-02-10T09:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    TestClock clock;

    @Autowired
    EventOutbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    @Autowired
    InvoiceFinalization finalization;

    UsageStream usage;
    String tenant;
    BillingApi api;
    BillingApi operator;

    @BeforeEach
    void setUp() {
        usage = new UsageStream(outbox, transactions, jdbc, redis, keys);
        tenant = "tenant-" + UUID.randomUUID();
        api = BillingApi.tenant(port, tenant);
        operator = BillingApi.operator(port);
        clock.pin(FEBRUARY);
    }

    @AfterEach
    void releaseClock() {
        clock.release();
    }

    private void scans(int count, Instant at) {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(UsageStream.event(tenant, "vault.leakage_scan", "vault-service", 1, at.plusSeconds(i)));
        }
        usage.publish(events);
        usage.awaitBilled(events);
    }

    private JsonNode balance() {
        return ok(api.get("/billing/v1/credits/balance/" + tenant));
    }

    @Test
    void finalizationSpendsUnexpiredCreditsOldestExpiringFirstAndChargesTheRest() {
        String goodwill = operator.grantCredit(tenant, "3.00", "goodwill", "2033-04-20T00:00:00Z")
                .get("creditId").asString();
        String promotional = operator.grantCredit(tenant, "5.00", "promotional", "2033-03-05T00:00:00Z")
                .get("creditId").asString();
        String refund = operator.grantCredit(tenant, "10.00", "refund", null).get("creditId").asString();
        String referral = operator.grantCredit(tenant, "4.00", "referral", "2033-02-20T00:00:00Z")
                .get("creditId").asString();
        api.setPaymentMethod(tenant, "pm_test_succeeds");

        JsonNode before = balance();
        assertMoney(before.get("balance"), "22.00");
        assertThat(before.get("currency").asString()).isEqualTo("USD");
        assertThat(before.get("expiringCredits")).hasSize(3);
        assertThat(before.get("expiringCredits").get(0).get("creditId").asString()).isEqualTo(referral);
        assertThat(before.get("expiringCredits").get(1).get("creditId").asString()).isEqualTo(promotional);
        assertThat(before.get("expiringCredits").get(2).get("creditId").asString()).isEqualTo(goodwill);

        // February: 14 scans, 7.00; on March 1st the referral credit has expired
        scans(14, FEBRUARY);
        clock.pin(Instant.parse("2033-03-01T01:00:00Z"));
        finalization.finalizeDue();
        JsonNode february = api.invoices(tenant).get("invoices").get(0);
        assertMoney(february.get("subtotal"), "7.00");
        assertMoney(february.get("creditsApplied"), "7.00");
        assertMoney(february.get("amountDue"), "0.00");
        assertThat(february.get("status").asString()).isEqualTo("paid");
        assertThat(february.get("payment").isNull()).isTrue();
        assertThat(february.get("credits")).hasSize(2);
        assertThat(february.get("credits").get(0).get("creditId").asString()).isEqualTo(promotional);
        assertMoney(february.get("credits").get(0).get("amount"), "5.00");
        assertThat(february.get("credits").get(1).get("creditId").asString()).isEqualTo(goodwill);
        assertMoney(february.get("credits").get(1).get("amount"), "2.00");

        JsonNode after = balance();
        assertMoney(after.get("balance"), "11.00");
        assertThat(after.get("expiringCredits")).hasSize(1);
        assertThat(after.get("expiringCredits").get(0).get("creditId").asString()).isEqualTo(goodwill);
        assertMoney(after.get("expiringCredits").get(0).get("amount"), "1.00");

        // March: 40 scans, 20.00: the last of the goodwill credit, then the refund that never expires, then the card
        scans(40, Instant.parse("2033-03-10T00:00:00Z"));
        clock.pin(Instant.parse("2033-04-01T01:00:00Z"));
        finalization.finalizeDue();
        JsonNode march = api.invoices(tenant).get("invoices").get(0);
        assertThat(march.get("period").asString()).isEqualTo("2033-03");
        assertMoney(march.get("creditsApplied"), "11.00");
        assertMoney(march.get("amountDue"), "9.00");
        assertThat(march.get("credits").get(0).get("creditId").asString()).isEqualTo(goodwill);
        assertThat(march.get("credits").get(1).get("creditId").asString()).isEqualTo(refund);
        assertThat(march.get("status").asString()).isEqualTo("paid");
        assertThat(march.get("payment").get("status").asString()).isEqualTo("succeeded");
        assertMoney(balance().get("balance"), "0.00");
        assertThat(jdbc.queryForObject("SELECT remaining FROM credit WHERE credit_id = ?", BigDecimal.class,
                UUID.fromString(referral))).isEqualByComparingTo("4.00");
    }

    @Test
    void onlyThePlatformOperatorGrantsCreditsAndEveryBadFieldIsNamed() {
        Map<String, Object> valid = body("tenantId", tenant, "amount", new BigDecimal("25.50"), "currency", "USD",
                "type", "goodwill", "expiresAt", null, "reason", "outage on 2033-02-01");
        assertStatus(BillingApi.tenantAdmin(port, tenant).post("/billing/v1/credits", valid), 403);
        assertStatus(api.post("/billing/v1/credits", valid), 403);

        assertFieldRefused(operator.post("/billing/v1/credits", with(valid, "tenantId", null)), "tenantId");
        assertFieldRefused(operator.post("/billing/v1/credits", with(valid, "amount", null)), "amount");
        assertFieldRefused(operator.post("/billing/v1/credits", with(valid, "amount", 0)), "amount");
        assertFieldRefused(operator.post("/billing/v1/credits", with(valid, "amount", new BigDecimal("-5"))),
                "amount");
        assertFieldRefused(operator.post("/billing/v1/credits", with(valid, "amount", new BigDecimal("1.234"))),
                "amount");
        assertFieldRefused(operator.post("/billing/v1/credits", with(valid, "currency", "EUR")), "currency");
        assertFieldRefused(operator.post("/billing/v1/credits", with(valid, "type", "bonus")), "type");
        assertFieldRefused(operator.post("/billing/v1/credits", with(valid, "expiresAt", "2000-01-01T00:00:00Z")),
                "expiresAt");
        assertFieldRefused(operator.post("/billing/v1/credits", with(valid, "expiresAt", "next week")),
                "expiresAt");
        assertFieldRefused(operator.post("/billing/v1/credits", with(valid, "reason", " ")), "reason");
        assertFieldRefused(operator.postJson("/billing/v1/credits", "{\"tenantId\": \"" + tenant
                + "\", \"amount\": \"lots\", \"currency\": \"USD\", \"type\": \"refund\", \"reason\": \"x\"}"),
                "amount");
        assertStatus(operator.postJson("/billing/v1/credits", "{\"tenantId\": "), 400);

        JsonNode created = ok(operator.post("/billing/v1/credits", valid), 201);
        assertMoney(created.get("amount"), "25.50");
        assertThat(Instant.parse(created.get("createdAt").asString())).isEqualTo(FEBRUARY);
        assertThat(created.get("creditId").asString()).isNotBlank();
        assertMoney(balance().get("balance"), "25.50");
        assertThat(balance().get("expiringCredits")).isEmpty();
    }

    private static Map<String, Object> with(Map<String, Object> base, String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        copy.put(field, value);
        return copy;
    }

    @Test
    void aBalanceIsTheTenantsOwnUnlessTheCallerIsTheOperator() {
        JsonNode empty = balance();
        assertMoney(empty.get("balance"), "0.00");
        assertThat(empty.get("tenantId").asString()).isEqualTo(tenant);

        operator.grantCredit(tenant, "12.00", "referral", "2033-06-01T00:00:00Z");
        assertNotFound(BillingApi.tenant(port, "tenant-" + UUID.randomUUID())
                .get("/billing/v1/credits/balance/" + tenant));
        assertNotFound(BillingApi.tenantAdmin(port, "tenant-" + UUID.randomUUID())
                .get("/billing/v1/credits/balance/" + tenant));
        assertMoney(ok(operator.get("/billing/v1/credits/balance/" + tenant)).get("balance"), "12.00");
        assertNotFound(operator.get("/billing/v1/credits/balance/tenant-" + UUID.randomUUID()));
        assertStatus(BillingApi.withScopes(port, tenant, "billing:write").get("/billing/v1/credits/balance/" + tenant),
                403);

        // past its expiry a credit no longer counts
        clock.pin(Instant.parse("2033-06-01T00:00:00Z"));
        assertMoney(balance().get("balance"), "0.00");
    }
}
