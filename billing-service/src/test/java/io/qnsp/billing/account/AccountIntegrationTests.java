package io.qnsp.billing.account;

import io.qnsp.billing.BillingApi;
import io.qnsp.billing.BillingIntegrationTest;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.billing.Streams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.billing.BillingApi.body;
import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.billing.BillingAssertions.assertMoney;
import static io.qnsp.test.http.ApiAssertions.assertNotFound;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Accounts: the tenant sets its payment method, the operator its plan and status; and the price book. */
@BillingIntegrationTest
class AccountIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    @Autowired
    JsonMapper json;

    String tenant;
    BillingApi api;
    BillingApi operator;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = BillingApi.tenant(port, tenant);
        operator = BillingApi.operator(port);
    }

    @Test
    void aTenantSeesItsAccountAsItWouldBeCreatedAndSetsATestModePaymentMethod() {
        JsonNode fresh = ok(api.get("/billing/v1/accounts/" + tenant));
        assertThat(fresh.get("plan").asString()).isEqualTo("free");
        assertThat(fresh.get("status").asString()).isEqualTo("active");
        assertThat(fresh.get("paymentMethod").isNull()).isTrue();
        assertThat(fresh.get("paymentProvider").asString()).isEqualTo("test");
        assertThat(fresh.get("testMode").asBoolean()).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM account WHERE tenant_id = ?", Integer.class, tenant))
                .isZero();

        assertFieldRefused(api.put("/billing/v1/accounts/" + tenant, body("paymentMethod", "4242424242424242")),
                "paymentMethod");
        assertThat(ok(api.put("/billing/v1/accounts/" + tenant, body("paymentMethod", "pm_test_succeeds")))
                .get("paymentMethod").asString()).isEqualTo("pm_test_succeeds");
        assertThat(ok(api.get("/billing/v1/accounts/" + tenant)).get("paymentMethod").asString())
                .isEqualTo("pm_test_succeeds");
        assertFieldRefused(api.put("/billing/v1/accounts/" + tenant, Map.of()), "plan");
    }

    @Test
    void onlyTheOperatorChangesAPlanOrAStatusAndItsSuspensionIsPublished() {
        assertStatus(api.put("/billing/v1/accounts/" + tenant, body("plan", "enterprise")), 403);
        assertStatus(BillingApi.tenantAdmin(port, tenant).put("/billing/v1/accounts/" + tenant,
                body("status", "active")), 403);
        assertFieldRefused(operator.put("/billing/v1/accounts/" + tenant, body("plan", "platinum")), "plan");
        assertFieldRefused(operator.put("/billing/v1/accounts/" + tenant, body("status", "frozen")), "status");

        assertThat(operator.setPlan(tenant, "enterprise").get("plan").asString()).isEqualTo("enterprise");
        JsonNode suspended = ok(operator.put("/billing/v1/accounts/" + tenant, body("status", "suspended")));
        assertThat(suspended.get("status").asString()).isEqualTo("suspended");
        assertThat(suspended.get("statusReason").asString()).isEqualTo("operator");

        Streams streams = new Streams(redis, keys, json);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> streams.events("tenant-status", tenant).size() == 1);
        JsonNode event = streams.events("tenant-status", tenant).get(0);
        assertThat(event.get("status").asString()).isEqualTo("suspended");
        assertThat(event.get("reason").asString()).isEqualTo("operator");
        assertThat(event.get("service").asString()).isEqualTo("billing-service");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> jdbc.queryForObject("SELECT count(*) FROM qnsp_event_outbox WHERE stream = 'audit' "
                        + "AND payload->>'tenantId' = ? AND payload->>'action' = 'billing.tenant.suspended'",
                        Integer.class, tenant) == 1);

        // the same status again changes nothing and publishes nothing
        ok(operator.put("/billing/v1/accounts/" + tenant, body("status", "suspended")));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM qnsp_event_outbox WHERE stream = 'tenant-status' "
                + "AND payload->>'tenantId' = ?", Integer.class, tenant)).isEqualTo(1);
    }

    @Test
    void anotherTenantsAccountIsNotFoundAndThePriceBookIsPublic() {
        assertNotFound(BillingApi.tenant(port, "tenant-" + UUID.randomUUID()).get("/billing/v1/accounts/" + tenant));
        assertNotFound(BillingApi.tenant(port, "tenant-" + UUID.randomUUID()).put("/billing/v1/accounts/" + tenant,
                body("paymentMethod", "pm_test_succeeds")));
        assertNotFound(operator.get("/billing/v1/accounts/" + tenant));
        api.setPaymentMethod(tenant, "pm_test_declined");
        assertThat(ok(operator.get("/billing/v1/accounts/" + tenant)).get("paymentMethod").asString())
                .isEqualTo("pm_test_declined");

        JsonNode book = ok(api.get("/billing/v1/price-book"));
        assertThat(book.get("currency").asString()).isEqualTo("USD");
        assertThat(book.get("defaultPlan").asString()).isEqualTo("free");
        JsonNode enterprise = null;
        for (JsonNode plan : book.get("plans")) {
            if (plan.get("name").asString().equals("enterprise")) {
                enterprise = plan;
            }
        }
        assertThat(enterprise).isNotNull();
        assertMoney(enterprise.get("monthlyFee"), "999.00");
        for (JsonNode rate : enterprise.get("rates")) {
            if (rate.get("operation").asString().equals("kms.escrow.recover")) {
                assertMoney(rate.get("unitPrice"), "12.5");
                assertMoney(rate.get("listPrice"), "25");
            }
        }
        // every billable operation of the API reference has a price
        assertThat(enterprise.get("rates").size()).isEqualTo(19);
    }
}
