package io.qnsp.observability.cost;

import io.qnsp.observability.ObservabilityIntegrationTests;
import io.qnsp.common.events.UsageEvent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.qnsp.test.http.ApiAssertions.ok;
import static io.qnsp.test.http.ServiceApi.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's own metered usage becomes costs: each operation a tenant was metered for is allocated at its list
 * price, per operation and day, counts in the month's summary and can breach a budget.
 */
class UsageCostsIntegrationTests extends ObservabilityIntegrationTests {

    static final Instant NOW = Instant.parse("2030-09-20T12:00:00Z");

    @BeforeEach
    void setUp() {
        clock.pin(NOW);
    }

    @Test
    void meteredUsageIsAllocatedAtListPricePerOperationAndDay() {
        String budgetId = ok(alphaApi.createBudget(body("name", "usage", "amount", 50, "currency", "USD",
                "period", "monthly", "scope", body("costCenters", List.of("platform-usage")))), 201)
                .get("budgetId").asString();
        Instant morning = Instant.parse("2030-09-18T08:00:00Z");
        publish(List.of(
                usage(alpha, "kms.hsm.key.create", "kms-service", 3, morning),
                usage(alpha, "kms.hsm.key.create", "kms-service", 2, morning.plus(Duration.ofHours(5))),
                usage(alpha, "vault.leakage_scan", "vault-service", 4, morning),
                usage(alpha, "kms.hsm.key.create", "kms-service", 1, morning.plus(Duration.ofDays(1))),
                // an operation the price book does not list costs nothing here either
                usage(alpha, "search.reindex", "search-service", 7, morning),
                usage(beta, "kms.hsm.key.create", "kms-service", 10, morning)));

        JsonNode found = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> ok(alphaApi.allocations("?costCenter=platform-usage")),
                        body -> body.get("summary").get("totalAmount").decimalValue().compareTo(
                                new java.math.BigDecimal("8")) == 0);
        // 5 keys on the 18th and 1 on the 19th at 1.00, 4 scans at 0.50
        JsonNode allocations = found.get("allocations");
        assertThat(allocations.size()).isEqualTo(3);
        JsonNode keysOnThe18th = allocations.valueStream()
                .filter(a -> a.get("resourceType").asString().equals("kms.hsm.key.create"))
                .filter(a -> a.get("period").get("start").asString().equals("2030-09-18T00:00:00Z"))
                .findFirst().orElseThrow();
        assertThat(keysOnThe18th.get("amount").decimalValue()).isEqualByComparingTo("5");
        assertThat(keysOnThe18th.get("tags").get("quantity").asString()).isEqualTo("5");
        assertThat(keysOnThe18th.get("period").get("end").asString()).isEqualTo("2030-09-19T00:00:00Z");

        JsonNode summary = ok(alphaApi.costSummary());
        assertThat(summary.get("byService").get("kms").decimalValue()).isEqualByComparingTo("6");
        assertThat(summary.get("byService").get("vault").decimalValue()).isEqualByComparingTo("2");
        assertThat(summary.get("budgetAlerts").isEmpty()).isTrue();

        // 45 more keys take the month's usage to 53 of a budget of 50
        publish(List.of(usage(alpha, "kms.hsm.key.create", "kms-service", 45, morning.plus(Duration.ofDays(2)))));
        JsonNode breach = streams.awaitAudit(alpha, "observability.budget.threshold_breached", budgetId);
        assertThat(breach.get("details").get("spent").asString()).isEqualTo("53");
        assertThat(breach.get("actor").asString()).isEqualTo("observability-service");
        assertThat(ok(alphaApi.costSummary()).get("budgetAlerts").get(0).get("budgetId").asString())
                .isEqualTo(budgetId);
    }

    private void publish(List<UsageEvent> events) {
        streams.publish(events);
    }

    private static UsageEvent usage(String tenant, String operation, String service, long quantity, Instant at) {
        return new UsageEvent(UUID.randomUUID(), at, tenant, "client-" + tenant, operation, quantity,
                "req-" + UUID.randomUUID(), service);
    }
}
