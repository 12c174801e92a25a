package io.qnsp.billing.analytics;

import io.qnsp.billing.BillingApi;
import io.qnsp.billing.BillingIntegrationTest;
import io.qnsp.test.time.TestClock;
import io.qnsp.billing.UsageStream;
import io.qnsp.billing.invoice.InvoiceFinalization;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.events.UsageEvent;
import io.qnsp.common.redis.RedisKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.billing.BillingAssertions.assertMoney;
import static io.qnsp.test.http.ApiAssertions.assertNotFound;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revenue figures from the invoices of two months of two tenants. The class has a database of its own (its
 * stable band makes it a context of its own), so the platform's figures are exactly those tenants'.
 */
@BillingIntegrationTest
@TestPropertySource(properties = "qnsp.billing.revenue.stable-band-percent=0.5")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevenueIntegrationTests {

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

    final String alpha = "tenant-" + UUID.randomUUID();
    final String beta = "tenant-" + UUID.randomUUID();
    BillingApi alphaApi;
    BillingApi betaApi;
    BillingApi operator;

    /**
     * January 2034: alpha 10 leakage scans (5.00) and an attack simulation (5.00), beta 4 JIT requests (0.20).
     * February: alpha 20 scans (10.00) and a credit of 3.00; beta on the standard plan (99.00, JIT requests
     * included).
     */
    @BeforeAll
    void twoMonthsOfUsage() {
        alphaApi = BillingApi.tenant(port, alpha);
        betaApi = BillingApi.tenant(port, beta);
        operator = BillingApi.operator(port);
        UsageStream usage = new UsageStream(outbox, transactions, jdbc, redis, keys);
        alphaApi.setPaymentMethod(alpha, "pm_test_succeeds");
        betaApi.setPaymentMethod(beta, "pm_test_succeeds");

        clock.pin(Instant.parse("2034-01-15T00:00:00Z"));
        List<UsageEvent> january = new ArrayList<>();
        january.addAll(calls(alpha, "vault.leakage_scan", "vault-service", 10, "2034-01-10T00:00:00Z"));
        january.addAll(calls(alpha, "security.attack_simulation", "security-service", 1, "2034-01-11T00:00:00Z"));
        january.addAll(calls(beta, "access.jit_request", "access-service", 4, "2034-01-12T00:00:00Z"));
        usage.publish(january);
        usage.awaitBilled(january);
        clock.pin(Instant.parse("2034-02-01T02:00:00Z"));
        assertThat(finalization.finalizeDue()).isEqualTo(2);

        operator.setPlan(beta, "standard");
        operator.grantCredit(alpha, "3.00", "goodwill", null);
        clock.pin(Instant.parse("2034-02-15T00:00:00Z"));
        List<UsageEvent> february = new ArrayList<>();
        february.addAll(calls(alpha, "vault.leakage_scan", "vault-service", 20, "2034-02-10T00:00:00Z"));
        february.addAll(calls(beta, "access.jit_request", "access-service", 4, "2034-02-12T00:00:00Z"));
        usage.publish(february);
        usage.awaitBilled(february);
        clock.pin(Instant.parse("2034-03-01T02:00:00Z"));
        assertThat(finalization.finalizeDue()).isEqualTo(2);
        clock.pin(Instant.parse("2034-03-05T00:00:00Z"));
    }

    @AfterAll
    void releaseClock() {
        clock.release();
    }

    private static List<UsageEvent> calls(String tenant, String operation, String service, int count, String at) {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(UsageStream.event(tenant, operation, service, 1, Instant.parse(at).plusSeconds(i)));
        }
        return events;
    }

    @Test
    void thePlatformSummaryOfTheLastCompleteMonthComesFromItsInvoices() {
        JsonNode summary = ok(operator.get("/billing/v1/analytics/revenue/summary"));
        assertThat(summary.get("period").asString()).isEqualTo("2034-02");
        assertThat(summary.get("currency").asString()).isEqualTo("USD");
        assertMoney(summary.get("mrr"), "109.00");
        assertMoney(summary.get("arr"), "1308.00");
        assertMoney(summary.get("creditsApplied"), "3.00");
        assertMoney(summary.get("totalRevenue"), "106.00");
        assertMoney(summary.get("subscriptionRevenue"), "99.00");
        assertMoney(summary.get("usageRevenue"), "10.00");
        assertThat(summary.get("invoices").asLong()).isEqualTo(2);
        assertThat(summary.get("complete").asBoolean()).isTrue();
        assertThat(summary.get("tenantId").isNull()).isTrue();
        // (109.00 - 10.20) / 10.20
        assertMoney(summary.get("growth").get("percentage"), "968.63");
        assertThat(summary.get("growth").get("direction").asString()).isEqualTo("up");
        assertMoney(summary.get("growth").get("previousMrr"), "10.20");

        JsonNode january = ok(operator.get("/billing/v1/analytics/revenue/summary?period=2034-01"));
        assertMoney(january.get("totalRevenue"), "10.20");
        assertThat(january.get("growth").get("percentage").isNull()).isTrue();
        assertThat(january.get("growth").get("direction").asString()).isEqualTo("up");

        JsonNode march = ok(operator.get("/billing/v1/analytics/revenue/summary?period=2034-03"));
        assertThat(march.get("complete").asBoolean()).isFalse();
        assertMoney(march.get("mrr"), "99.00");
        assertThat(march.get("growth").get("direction").asString()).isEqualTo("down");
    }

    @Test
    void eachTenantSeesWhatItWasChargedAndNoOtherTenants() {
        JsonNode alphaSummary = ok(alphaApi.get("/billing/v1/analytics/revenue/summary?period=2034-02"));
        assertThat(alphaSummary.get("tenantId").asString()).isEqualTo(alpha);
        assertMoney(alphaSummary.get("mrr"), "10.00");
        assertMoney(alphaSummary.get("totalRevenue"), "7.00");
        assertMoney(alphaSummary.get("growth").get("percentage"), "0.00");
        assertThat(alphaSummary.get("growth").get("direction").asString()).isEqualTo("stable");

        JsonNode betaSummary = ok(betaApi.get("/billing/v1/analytics/revenue/summary?period=2034-02"));
        assertMoney(betaSummary.get("mrr"), "99.00");
        assertThat(betaSummary.get("growth").get("direction").asString()).isEqualTo("up");

        assertThat(ok(operator.get("/billing/v1/analytics/revenue/summary?period=2034-02&tenantId=" + alpha)))
                .isEqualTo(alphaSummary);
        assertNotFound(alphaApi.get("/billing/v1/analytics/revenue/summary?tenantId=" + beta));
        assertNotFound(alphaApi.get("/billing/v1/analytics/revenue/by-service?tenantId=" + beta));
        assertFieldRefused(alphaApi.get("/billing/v1/analytics/revenue/summary?period=2034-13"), "period");
        assertFieldRefused(alphaApi.get("/billing/v1/analytics/revenue/summary?period=2034-04"), "period");
        assertFieldRefused(operator.get("/billing/v1/analytics/revenue/summary?tenantId=%20x"), "tenantId");
    }

    @Test
    void theBreakdownByServiceHasSharesAndTrends() {
        JsonNode breakdown = ok(operator.get("/billing/v1/analytics/revenue/by-service?period=2034-02"));
        assertMoney(breakdown.get("total"), "109.00");
        Map<String, JsonNode> services = new LinkedHashMap<>();
        breakdown.get("byService").forEach(s -> services.put(s.get("service").asString(), s));
        assertThat(services.keySet()).containsExactly("subscriptions", "vault-service", "access-service",
                "security-service");
        assertMoney(services.get("subscriptions").get("revenue"), "99.00");
        assertMoney(services.get("subscriptions").get("percentage"), "90.83");
        assertThat(services.get("subscriptions").get("trend").asString()).isEqualTo("new");
        assertMoney(services.get("vault-service").get("revenue"), "10.00");
        assertMoney(services.get("vault-service").get("percentage"), "9.17");
        assertThat(services.get("vault-service").get("trend").asString()).isEqualTo("up");
        assertMoney(services.get("vault-service").get("changePercentage"), "100.00");
        assertMoney(services.get("security-service").get("revenue"), "0.00");
        assertThat(services.get("security-service").get("trend").asString()).isEqualTo("down");
        assertMoney(services.get("security-service").get("previousRevenue"), "5.00");
        assertMoney(services.get("access-service").get("previousRevenue"), "0.20");

        JsonNode mine = ok(alphaApi.get("/billing/v1/analytics/revenue/by-service?period=2034-02"));
        assertThat(mine.get("byService")).hasSize(2);
        assertThat(mine.get("byService").get(0).get("service").asString()).isEqualTo("vault-service");
        assertMoney(mine.get("byService").get(0).get("percentage"), "100.00");
    }
}
