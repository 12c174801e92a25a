package io.qnsp.billing.usage;

import io.qnsp.billing.BillingApi;
import io.qnsp.billing.BillingIntegrationTest;
import io.qnsp.test.time.TestClock;
import io.qnsp.billing.UsageStream;
import io.qnsp.billing.invoice.InvoiceFinalization;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.events.UsageEvent;
import io.qnsp.common.redis.RedisKeys;
import org.awaitility.Awaitility;
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
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.billing.BillingAssertions.assertMoney;
import static io.qnsp.test.http.ApiAssertions.assertNotFound;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.billing.BillingAssertions.lines;
import static io.qnsp.billing.BillingAssertions.money;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage from the platform's metered endpoints, published exactly as common-lib's {@code @RequiredControls} publishes
 * it (the transactional outbox, relayed onto the {@code usage} Redis stream), becomes invoice line items priced by
 * the price book, each event billed once however often it is delivered.
 */
@BillingIntegrationTest
class UsageBillingIntegrationTests {

    static final Instant MARCH = Instant.parse("2031-03-10T12:00:00Z");

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

    @BeforeEach
    void setUp() {
        usage = new UsageStream(outbox, transactions, jdbc, redis, keys);
        tenant = "tenant-" + UUID.randomUUID();
        api = BillingApi.tenant(port, tenant);
        clock.pin(MARCH);
    }

    @AfterEach
    void releaseClock() {
        clock.release();
    }

    /** One event per call, as RequiredControls publishes them: quantity 1, from the service that served the call. */
    private List<UsageEvent> calls(String operation, String service, int count, Instant at) {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(UsageStream.event(tenant, operation, service, 1, at.plusSeconds(i)));
        }
        return events;
    }

    @Test
    void theInvoiceLinesAreExactlyTheMeteredOperationsPricedByThePriceBookAndARedeliveryIsNotBilledAgain() {
        List<UsageEvent> events = new ArrayList<>();
        events.addAll(calls("auth.risk_evaluation", "auth-service", 12, MARCH.minus(Duration.ofDays(3))));
        events.addAll(calls("access.jit_request", "access-service", 3, MARCH.minus(Duration.ofDays(2))));
        events.addAll(calls("vault.leakage_scan", "vault-service", 2, MARCH.minus(Duration.ofDays(1))));
        events.addAll(calls("security.attack_simulation", "security-service", 1, MARCH));
        for (UsageEvent event : events) {
            // each metered call commits its own transaction
            usage.publish(List.of(event));
        }
        usage.awaitBilled(events);

        JsonNode invoices = api.invoices(tenant);
        assertThat(invoices.get("total").asLong()).isEqualTo(1);
        JsonNode invoice = invoices.get("invoices").get(0);
        assertThat(invoice.get("period").asString()).isEqualTo("2031-03");
        assertThat(invoice.get("status").asString()).isEqualTo("open");
        assertThat(invoice.get("plan").asString()).isEqualTo("free");
        assertThat(invoice.get("currency").asString()).isEqualTo("USD");

        // the lines, priced from the price book the service publishes
        Map<String, Long> counted = new HashMap<>();
        events.forEach(e -> counted.merge(e.operation(), e.quantity(), Long::sum));
        Map<String, JsonNode> rates = freePlanRates();
        Map<String, JsonNode> lines = lines(invoice);
        assertThat(lines.keySet()).containsExactlyInAnyOrderElementsOf(counted.keySet());
        BigDecimal subtotal = BigDecimal.ZERO;
        for (Map.Entry<String, Long> operation : counted.entrySet()) {
            JsonNode line = lines.get(operation.getKey());
            JsonNode rate = rates.get(operation.getKey());
            long included = rate.get("included").asLong();
            BigDecimal expected = money(rate.get("unitPrice")).multiply(BigDecimal.valueOf(
                    Math.max(0, operation.getValue() - included))).setScale(2, RoundingMode.HALF_UP);
            assertThat(line.get("quantity").asLong()).isEqualTo(operation.getValue());
            assertThat(line.get("includedQuantity").asLong()).isEqualTo(included);
            assertThat(money(line.get("unitPrice"))).isEqualByComparingTo(money(rate.get("unitPrice")));
            assertThat(money(line.get("amount"))).as(operation.getKey()).isEqualByComparingTo(expected);
            subtotal = subtotal.add(expected);
        }
        // and by hand: 12 risk evaluations within the free plan's 1000, 3 × 0.05, 2 × 0.50, 1 × 5.00
        assertMoney(lines.get("auth.risk_evaluation").get("amount"), "0.00");
        assertMoney(lines.get("access.jit_request").get("amount"), "0.15");
        assertMoney(lines.get("vault.leakage_scan").get("amount"), "1.00");
        assertMoney(lines.get("security.attack_simulation").get("amount"), "5.00");
        assertThat(lines.get("access.jit_request").get("service").asString()).isEqualTo("access-service");
        assertMoney(invoice.get("subtotal"), "6.15");
        assertThat(money(invoice.get("subtotal"))).isEqualByComparingTo(subtotal);
        assertThat(invoice.get("amountDue").isNull()).isTrue();

        // the relay sends one of them again (its mark as published was lost): still billed once
        UsageEvent again = events.get(13);
        usage.redeliver(again);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> usage.entriesOf(again) == 2);
        // even when the consumed-id record is gone (pruned after qnsp.events.retention), the event id is known
        UsageEvent third = events.get(14);
        jdbc.update("DELETE FROM qnsp_consumed_event WHERE event_id = ?", third.eventId());
        usage.redeliver(third);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> usage.entriesOf(third) == 2);
        UsageEvent marker = usage.publish(tenant, "access.jit_request", "access-service", 1, MARCH);
        usage.awaitBilled(marker);
        usage.awaitAcknowledged();

        JsonNode after = api.invoices(tenant).get("invoices").get(0);
        assertThat(lines(after).get("access.jit_request").get("quantity").asLong()).isEqualTo(4);
        assertMoney(lines(after).get("access.jit_request").get("amount"), "0.20");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM usage_event WHERE tenant_id = ?", Integer.class, tenant))
                .isEqualTo(events.size() + 1);
    }

    private Map<String, JsonNode> freePlanRates() {
        Map<String, JsonNode> rates = new HashMap<>();
        for (JsonNode plan : ok(api.get("/billing/v1/price-book")).get("plans")) {
            if (plan.get("name").asString().equals("free")) {
                plan.get("rates").forEach(rate -> rates.put(rate.get("operation").asString(), rate));
            }
        }
        return rates;
    }

    @Test
    void aPlanChangePricesTheOpenInvoiceByTheNewPlan() {
        List<UsageEvent> events = calls("access.jit_request", "access-service", 4, MARCH);
        usage.publish(events);
        usage.awaitBilled(events);
        assertMoney(lines(api.invoices(tenant).get("invoices").get(0)).get("access.jit_request").get("amount"),
                "0.20");

        BillingApi operator = BillingApi.operator(port);
        JsonNode account = operator.setPlan(tenant, "standard");
        assertThat(account.get("plan").asString()).isEqualTo("standard");

        JsonNode invoice = api.invoices(tenant).get("invoices").get(0);
        assertThat(invoice.get("plan").asString()).isEqualTo("standard");
        assertMoney(invoice.get("planFee"), "99.00");
        JsonNode line = lines(invoice).get("access.jit_request");
        assertThat(line.get("includedQuantity").asLong()).isEqualTo(200);
        assertMoney(line.get("amount"), "0.00");
        assertMoney(invoice.get("subtotal"), "99.00");
    }

    @Test
    void usageArrivingAfterItsPeriodWasFinalizedGoesOnTheNextOpenInvoice() {
        api.setPaymentMethod(tenant, "pm_test_succeeds");
        UsageEvent march = usage.publish(tenant, "vault.leakage_scan", "vault-service", 1, MARCH);
        usage.awaitBilled(march);
        clock.pin(Instant.parse("2031-04-01T02:00:00Z"));
        finalization.finalizeDue();
        JsonNode closed = api.invoices(tenant).get("invoices").get(0);
        assertThat(closed.get("status").asString()).isEqualTo("paid");
        assertThat(closed.get("payment").get("status").asString()).isEqualTo("succeeded");
        assertMoney(closed.get("amountDue"), "0.50");

        UsageEvent late = usage.publish(tenant, "vault.leakage_scan", "vault-service", 1,
                Instant.parse("2031-03-31T23:59:00Z"));
        usage.awaitBilled(late);

        JsonNode invoices = api.invoices(tenant);
        assertThat(invoices.get("total").asLong()).isEqualTo(2);
        JsonNode april = invoices.get("invoices").get(0);
        assertThat(april.get("period").asString()).isEqualTo("2031-04");
        assertThat(april.get("status").asString()).isEqualTo("open");
        assertThat(lines(april).get("vault.leakage_scan").get("quantity").asLong()).isEqualTo(1);
        JsonNode marchAgain = invoices.get("invoices").get(1);
        assertThat(lines(marchAgain).get("vault.leakage_scan").get("quantity").asLong()).isEqualTo(1);
        assertMoney(marchAgain.get("amountDue"), "0.50");
    }

    @Test
    void anOperationThePriceBookDoesNotNameIsRecordedAtNoChargeAndAnOperatorsCallIsNotBilled() {
        // the stream is read in order: once the later event is billed, the operator's call has been handled
        UsageEvent operatorCall = usage.publish(null, "kms.escrow.recover", "kms-service", 1, MARCH);
        UsageEvent unlisted = usage.publish(tenant, "search.reindex", "search-service", 3, MARCH);
        usage.awaitBilled(unlisted);

        JsonNode line = lines(api.invoices(tenant).get("invoices").get(0)).get("search.reindex");
        assertThat(line.get("listed").asBoolean()).isFalse();
        assertThat(line.get("quantity").asLong()).isEqualTo(3);
        assertMoney(line.get("amount"), "0.00");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM usage_event WHERE event_id = ?", Integer.class,
                operatorCall.eventId())).isZero();
    }

    @Test
    void anotherTenantsInvoicesAreNotFoundButThePlatformOperatorSeesThem() {
        UsageEvent event = usage.publish(tenant, "access.jit_request", "access-service", 1, MARCH);
        usage.awaitBilled(event);
        String invoiceId = api.invoices(tenant).get("invoices").get(0).get("invoiceId").asString();

        BillingApi stranger = BillingApi.tenant(port, "tenant-" + UUID.randomUUID());
        assertNotFound(stranger.get("/billing/v1/invoices/" + tenant));
        assertNotFound(stranger.get("/billing/v1/invoices/" + tenant + "/" + invoiceId));
        assertNotFound(BillingApi.tenantAdmin(port, "tenant-" + UUID.randomUUID())
                .get("/billing/v1/invoices/" + tenant));
        assertNotFound(api.get("/billing/v1/invoices/" + tenant + "/not-a-uuid"));
        assertNotFound(api.get("/billing/v1/invoices/" + tenant + "/" + UUID.randomUUID()));

        BillingApi operator = BillingApi.operator(port);
        assertThat(ok(operator.get("/billing/v1/invoices/" + tenant + "/" + invoiceId)).get("tenantId").asString())
                .isEqualTo(tenant);
        assertNotFound(operator.get("/billing/v1/invoices/tenant-" + UUID.randomUUID()));
        assertStatus(BillingApi.anonymous(port).get("/billing/v1/invoices/" + tenant), 401);
        assertStatus(BillingApi.withScopes(port, tenant, "kms:read").get("/billing/v1/invoices/" + tenant), 403);
    }
}
