package io.qnsp.billing.dunning;

import io.qnsp.billing.BillingApi;
import io.qnsp.billing.BillingIntegrationTest;
import io.qnsp.billing.Streams;
import io.qnsp.test.time.TestClock;
import io.qnsp.billing.UsageStream;
import io.qnsp.billing.invoice.InvoiceFinalization;
import io.qnsp.billing.payment.PaymentCollection;
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
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.billing.BillingApi.body;
import static io.qnsp.billing.BillingApi.step;
import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.billing.BillingAssertions.assertMoney;
import static io.qnsp.test.http.ApiAssertions.assertNotFound;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed test-mode payments walk through their dunning schedule on the service's clock, which the tests move:
 * notices, automatic retries, suspension and cancellation on their days, and a successful retry that ends it all.
 */
@BillingIntegrationTest
class DunningIntegrationTests {

    static final Instant MAY = Instant.parse("2032-05-20T10:00:00Z");
    // the month has ended and the hour of grace for late usage has passed
    static final Instant FINALIZED = Instant.parse("2032-06-01T01:00:00Z");

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
    JsonMapper json;

    @Autowired
    InvoiceFinalization finalization;

    @Autowired
    PaymentCollection collection;

    @Autowired
    DunningManagement dunning;

    UsageStream usage;
    Streams streams;
    String tenant;
    BillingApi api;
    BillingApi operator;

    @BeforeEach
    void setUp() {
        usage = new UsageStream(outbox, transactions, jdbc, redis, keys);
        streams = new Streams(redis, keys, json);
        tenant = "tenant-" + UUID.randomUUID();
        api = BillingApi.tenant(port, tenant);
        operator = BillingApi.operator(port);
        clock.pin(MAY);
    }

    @AfterEach
    void releaseClock() {
        clock.release();
    }

    /** Four leakage scans in May (4 × 0.50 on the free plan), finalized and charged on the first of June. */
    private JsonNode failedPayment(String paymentMethod) {
        api.setPaymentMethod(tenant, paymentMethod);
        List<UsageEvent> scans = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            scans.add(UsageStream.event(tenant, "vault.leakage_scan", "vault-service", 1, MAY.plusSeconds(i)));
        }
        usage.publish(scans);
        usage.awaitBilled(scans);
        at(FINALIZED);
        finalization.finalizeDue();
        JsonNode failed = failedPayments(api);
        assertThat(failed.get("failedPayments")).hasSize(1);
        return failed.get("failedPayments").get(0);
    }

    private JsonNode failedPayments(BillingApi caller) {
        return ok(caller.get("/billing/v1/dunning/failed-payments"));
    }

    /** The operator's list, filtered to the test's tenant. */
    private JsonNode operatorView() {
        return ok(operator.get("/billing/v1/dunning/failed-payments?tenantId=" + tenant));
    }

    private void at(Instant instant) {
        clock.pin(instant);
    }

    private Instant day(double days) {
        return FINALIZED.plus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    private JsonNode account() {
        return ok(api.get("/billing/v1/accounts/" + tenant));
    }

    private List<String> executedSteps() {
        JsonNode payment = operatorView();
        List<String> steps = new ArrayList<>();
        payment.get("failedPayments").get(0).get("dunning").get("executedSteps")
                .forEach(s -> steps.add(s.get("dayAfterFailure").asInt() + ":" + s.get("action").asString()));
        return steps;
    }

    private List<JsonNode> statusEvents(int expected) {
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> streams.events("tenant-status", tenant).size() >= expected);
        return streams.events("tenant-status", tenant);
    }

    @Test
    void aDeclinedPaymentWalksTheScheduleToSuspensionAndASuccessfulRetryStopsIt() {
        operator.configureSchedule(tenant, List.of(step(1, "email", "payment_failed"),
                step(3, "sms", "payment_failed_sms"), step(5, "suspend", null), step(20, "cancel", null)));
        JsonNode failed = failedPayment("pm_test_declined");
        String paymentId = failed.get("paymentId").asString();
        assertMoney(failed.get("amount"), "2.00");
        assertThat(failed.get("currency").asString()).isEqualTo("USD");
        assertThat(Instant.parse(failed.get("failedAt").asString())).isEqualTo(FINALIZED);
        assertThat(failed.get("retryCount").asInt()).isZero();
        assertThat(Instant.parse(failed.get("nextRetryAt").asString())).isEqualTo(day(1));
        assertThat(failed.get("provider").asString()).isEqualTo("test");
        assertThat(failed.get("attempts")).hasSize(1);
        assertThat(failed.get("attempts").get(0).get("trigger").asString()).isEqualTo("initial");
        assertThat(failed.get("attempts").get(0).get("outcome").asString()).isEqualTo("declined");
        assertThat(failed.get("attempts").get(0).get("code").asString()).isEqualTo("card_declined");
        assertThat(failed.get("dunning").get("schedule")).hasSize(4);
        assertThat(failed.get("dunning").get("executedSteps")).isEmpty();
        assertThat(Instant.parse(failed.get("dunning").get("nextStepAt").asString())).isEqualTo(day(1));
        assertThat(api.invoices(tenant).get("invoices").get(0).get("status").asString()).isEqualTo("past_due");

        // nothing happens before its day
        at(day(1).minusSeconds(1));
        collection.collectDue();
        dunning.runDue();
        assertThat(executedSteps()).isEmpty();

        // day 1: the automatic retry is declined again, and the email notice goes out
        at(day(1));
        collection.collectDue();
        dunning.runDue();
        assertThat(executedSteps()).containsExactly("1:email");
        JsonNode afterRetry = failedPayments(api).get("failedPayments").get(0);
        assertThat(afterRetry.get("retryCount").asInt()).isEqualTo(1);
        assertThat(afterRetry.get("attempts").get(1).get("trigger").asString()).isEqualTo("automatic_retry");
        assertThat(Instant.parse(afterRetry.get("nextRetryAt").asString())).isEqualTo(day(3));
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> streams.events("billing-notices", tenant).size() == 1);
        JsonNode notice = streams.events("billing-notices", tenant).get(0);
        assertThat(notice.get("channel").asString()).isEqualTo("email");
        assertThat(notice.get("template").asString()).isEqualTo("payment_failed");
        assertThat(notice.get("paymentId").asString()).isEqualTo(paymentId);
        assertThat(notice.get("amount").decimalValue()).isEqualByComparingTo("2.00");

        // day 3: sms; day 5: suspended, and the gateway is told on the tenant-status stream
        at(day(3));
        collection.collectDue();
        dunning.runDue();
        assertThat(executedSteps()).containsExactly("1:email", "3:sms");
        at(day(5).minusSeconds(1));
        dunning.runDue();
        assertThat(account().get("status").asString()).isEqualTo("active");
        at(day(5));
        dunning.runDue();
        assertThat(executedSteps()).containsExactly("1:email", "3:sms", "5:suspend");
        JsonNode suspended = account();
        assertThat(suspended.get("status").asString()).isEqualTo("suspended");
        assertThat(suspended.get("statusReason").asString()).isEqualTo("dunning");
        JsonNode suspension = statusEvents(1).get(0);
        assertThat(suspension.get("status").asString()).isEqualTo("suspended");
        assertThat(suspension.get("previousStatus").asString()).isEqualTo("active");
        assertThat(suspension.get("reason").asString()).isEqualTo("dunning");
        assertThat(suspension.get("paymentId").asString()).isEqualTo(paymentId);
        // running again executes nothing twice
        dunning.runDue();
        assertThat(executedSteps()).hasSize(3);

        // the tenant fixes its payment method and retries: paid, dunning ends, the tenant is restored
        at(day(6));
        api.setPaymentMethod(tenant, "pm_test_succeeds");
        JsonNode retried = ok(api.retry(paymentId));
        assertThat(retried.get("status").asString()).isEqualTo("succeeded");
        assertThat(retried.get("paymentId").asString()).isEqualTo(paymentId);
        assertThat(Instant.parse(retried.get("retriedAt").asString())).isEqualTo(day(6));
        assertThat(retried.get("retryCount").asInt()).isEqualTo(3);
        assertThat(failedPayments(api).get("failedPayments")).isEmpty();
        assertThat(account().get("status").asString()).isEqualTo("active");
        JsonNode restored = statusEvents(2).get(1);
        assertThat(restored.get("status").asString()).isEqualTo("active");
        assertThat(restored.get("previousStatus").asString()).isEqualTo("suspended");
        assertThat(restored.get("reason").asString()).isEqualTo("payment");
        JsonNode invoice = api.invoices(tenant).get("invoices").get(0);
        assertThat(invoice.get("status").asString()).isEqualTo("paid");
        assertThat(Instant.parse(invoice.get("paidAt").asString())).isEqualTo(day(6));

        // day 20 passes without the cancellation, and nothing is charged again
        at(day(25));
        collection.collectDue();
        dunning.runDue();
        assertThat(account().get("status").asString()).isEqualTo("active");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dunning_action WHERE payment_id = ?", Integer.class,
                UUID.fromString(paymentId))).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM payment_attempt WHERE payment_id = ?", Integer.class,
                UUID.fromString(paymentId))).isEqualTo(4);
        assertThat(streams.events("tenant-status", tenant)).hasSize(2);
        assertStatus(api.retry(paymentId), 409);
    }

    @Test
    void cancellationEndsAutomaticRetriesAndAPaymentAfterwardsLeavesTheTenantCancelled() {
        operator.configureSchedule(tenant, List.of(step(0, "email", "payment_failed"), step(2, "cancel", null)));
        JsonNode failed = failedPayment("pm_test_insufficient_funds");
        String paymentId = failed.get("paymentId").asString();
        assertThat(failed.get("lastFailureCode").asString()).isEqualTo("insufficient_funds");
        // a schedule configured after the failure is not the one this payment follows
        operator.configureSchedule(tenant, List.of(step(1, "suspend", null)));

        at(day(0));
        dunning.runDue();
        at(day(1));
        collection.collectDue();
        dunning.runDue();
        assertThat(executedSteps()).containsExactly("0:email");
        assertThat(account().get("status").asString()).isEqualTo("active");
        at(day(2));
        dunning.runDue();
        assertThat(executedSteps()).containsExactly("0:email", "2:cancel");
        assertThat(account().get("status").asString()).isEqualTo("cancelled");
        JsonNode payment = failedPayments(api).get("failedPayments").get(0);
        assertThat(payment.get("nextRetryAt").isNull()).isTrue();
        assertThat(payment.get("dunning").get("stopReason").asString()).isEqualTo("cancelled");
        assertThat(statusEvents(1).get(0).get("status").asString()).isEqualTo("cancelled");

        at(day(10));
        collection.collectDue();
        assertThat(failedPayments(api).get("failedPayments").get(0).get("attempts")).hasSize(2);

        api.setPaymentMethod(tenant, "pm_test_succeeds");
        assertThat(ok(api.retry(paymentId)).get("status").asString()).isEqualTo("succeeded");
        assertThat(account().get("status").asString()).isEqualTo("cancelled");
    }

    @Test
    void aTransientProviderFailureIsRetriedSoonerThanADecline() {
        JsonNode failed = failedPayment("pm_test_processing_error");
        String paymentId = failed.get("paymentId").asString();
        assertThat(failed.get("attempts").get(0).get("outcome").asString()).isEqualTo("transient_failure");
        assertThat(Instant.parse(failed.get("nextRetryAt").asString())).isEqualTo(FINALIZED.plus(Duration.ofHours(1)));

        at(FINALIZED.plus(Duration.ofHours(1)));
        collection.collectDue();
        JsonNode again = failedPayments(api).get("failedPayments").get(0);
        assertThat(again.get("retryCount").asInt()).isEqualTo(1);
        assertThat(Instant.parse(again.get("nextRetryAt").asString())).isEqualTo(FINALIZED.plus(Duration.ofHours(3)));

        JsonNode retried = ok(api.retry(paymentId));
        assertThat(retried.get("status").asString()).isEqualTo("pending");
        assertThat(retried.get("code").asString()).isEqualTo("processing_error");
        assertThat(Instant.parse(retried.get("nextRetryAt").asString()))
                .isEqualTo(FINALIZED.plus(Duration.ofHours(1)).plus(Duration.ofHours(4)));
    }

    @Test
    void theScheduleIsTheOperatorsToConfigureAndIsChecked() {
        BillingApi tenantAdmin = BillingApi.tenantAdmin(port, tenant);
        assertStatus(tenantAdmin.post("/billing/v1/dunning/schedule", body("tenantId", tenant, "schedule",
                List.of(step(1, "email", "x")))), 403);

        JsonNode standard = ok(api.get("/billing/v1/dunning/schedule/" + tenant));
        assertThat(standard.get("isDefault").asBoolean()).isTrue();
        assertThat(standard.get("scheduleId").isNull()).isTrue();
        assertThat(standard.get("schedule").get(3).get("action").asString()).isEqualTo("suspend");

        assertFieldRefused(operator.post("/billing/v1/dunning/schedule", body("schedule",
                List.of(step(1, "email", "x")))), "tenantId");
        assertFieldRefused(operator.post("/billing/v1/dunning/schedule", body("tenantId", tenant, "schedule",
                List.of())), "schedule");
        assertFieldRefused(operator.post("/billing/v1/dunning/schedule", body("tenantId", tenant, "schedule",
                List.of(step(1, "email", "x"), step(2, "letter", null)))), "schedule[1].action");
        assertFieldRefused(operator.post("/billing/v1/dunning/schedule", body("tenantId", tenant, "schedule",
                List.of(step(1, "email", null)))), "schedule[0].template");
        assertFieldRefused(operator.post("/billing/v1/dunning/schedule", body("tenantId", tenant, "schedule",
                List.of(body("dayAfterFailure", 1.5, "action", "suspend")))), "schedule[0].dayAfterFailure");
        assertFieldRefused(operator.post("/billing/v1/dunning/schedule", body("tenantId", tenant, "schedule",
                List.of(step(400, "suspend", null)))), "schedule[0].dayAfterFailure");
        assertFieldRefused(operator.post("/billing/v1/dunning/schedule", body("tenantId", tenant, "schedule",
                List.of(step(3, "suspend", null), step(5, "suspend", null)))), "schedule");
        assertFieldRefused(operator.postJson("/billing/v1/dunning/schedule", "{\"tenantId\": \"" + tenant
                + "\", \"schedule\": [{\"dayAfterFailure\": \"soon\", \"action\": \"email\"}]}"),
                "schedule[0].dayAfterFailure");

        JsonNode created = operator.configureSchedule(tenant, List.of(step(10, "suspend", null),
                step(2, "sms", "reminder")));
        assertThat(created.get("tenantId").asString()).isEqualTo(tenant);
        assertThat(created.get("schedule").get(0).get("action").asString()).isEqualTo("sms");
        JsonNode configured = ok(api.get("/billing/v1/dunning/schedule/" + tenant));
        assertThat(configured.get("isDefault").asBoolean()).isFalse();
        assertThat(configured.get("scheduleId").asString()).isEqualTo(created.get("scheduleId").asString());
        assertThat(configured.get("schedule").get(1).get("dayAfterFailure").asInt()).isEqualTo(10);
        assertNotFound(BillingApi.tenant(port, "tenant-" + UUID.randomUUID())
                .get("/billing/v1/dunning/schedule/" + tenant));
    }

    @Test
    void failedPaymentsAndRetriesAreTheTenantsOwnUnlessTheCallerIsTheOperator() {
        JsonNode failed = failedPayment("pm_test_expired_card");
        String paymentId = failed.get("paymentId").asString();
        BillingApi stranger = BillingApi.tenant(port, "tenant-" + UUID.randomUUID());

        assertThat(failedPayments(stranger).get("failedPayments")).isEmpty();
        assertNotFound(stranger.get("/billing/v1/dunning/failed-payments?tenantId=" + tenant));
        assertNotFound(stranger.retry(paymentId));
        assertNotFound(api.retry(UUID.randomUUID().toString()));
        assertFieldRefused(api.retry("not-a-uuid"), "paymentId");
        assertFieldRefused(api.post("/billing/v1/dunning/retry", Map.of()), "paymentId");
        assertFieldRefused(api.get("/billing/v1/dunning/failed-payments?limit=0"), "limit");

        JsonNode all = operatorView();
        assertThat(all.get("total").asLong()).isEqualTo(1);
        assertThat(all.get("failedPayments").get(0).get("paymentId").asString()).isEqualTo(paymentId);
        assertThat(failedPayments(operator).get("total").asLong()).isGreaterThanOrEqualTo(1);
        // the operator retries for the tenant; the card is still expired
        JsonNode retried = ok(operator.retry(paymentId));
        assertThat(retried.get("status").asString()).isEqualTo("failed");
        assertThat(retried.get("code").asString()).isEqualTo("expired_card");
        assertThat(retried.get("retryCount").asInt()).isEqualTo(1);
        assertThat(failedPayments(api).get("failedPayments").get(0).get("attempts").get(1).get("trigger")
                .asString()).isEqualTo("manual_retry");
    }
}
