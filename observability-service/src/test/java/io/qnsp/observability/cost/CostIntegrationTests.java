package io.qnsp.observability.cost;

import io.qnsp.observability.ObservabilityIntegrationTests;
import io.qnsp.observability.ObservabilityApi;
import io.qnsp.observability.ObservabilityScopes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static io.qnsp.test.http.ServiceApi.body;
import static org.assertj.core.api.Assertions.assertThat;

/** Cost allocations, their totals, the month's summary, and budgets whose crossed thresholds become alerts. */
class CostIntegrationTests extends ObservabilityIntegrationTests {

    static final Instant NOW = Instant.parse("2030-06-15T12:00:00Z");

    @BeforeEach
    void setUp() {
        clock.pin(NOW);
    }

    @Test
    void allocationsAreQueriedWithTotalsAndSummarizedPerService() {
        String kms = record(alphaApi, "key-1", "kms.key", "platform", "120.50", "2030-06-01T00:00:00Z",
                "2030-07-01T00:00:00Z");
        record(alphaApi, "secret-1", "vault.secret", "security", "30", "2030-06-03T00:00:00Z", "2030-06-04T00:00:00Z");
        record(alphaApi, "bucket-1", "storage.bucket", "platform", "10.25", "2030-06-10", "2030-06-11");
        record(alphaApi, "key-1", "kms.key", "platform", "100", "2030-05-01T00:00:00Z", "2030-06-01T00:00:00Z");

        JsonNode all = ok(alphaApi.allocations(""));
        assertThat(all.get("allocations").size()).isEqualTo(4);
        assertThat(all.get("summary").get("totalAmount").decimalValue()).isEqualByComparingTo("260.75");
        assertThat(all.get("summary").get("byCostCenter").get("platform").decimalValue())
                .isEqualByComparingTo("230.75");
        assertThat(all.get("summary").get("byCostCenter").get("security").decimalValue())
                .isEqualByComparingTo("30");
        JsonNode first = all.get("allocations").get(0);
        assertThat(first.get("period").get("start").asString()).isEqualTo("2030-05-01T00:00:00Z");
        assertThat(first.get("currency").asString()).isEqualTo("USD");

        JsonNode june = ok(alphaApi.allocations("?costCenter=platform&startTime=2030-06-01T00:00:00Z"
                + "&endTime=2030-07-01T00:00:00Z"));
        assertThat(june.get("allocations").valueStream().map(a -> a.get("resourceId").asString()))
                .containsExactly("key-1", "bucket-1");
        assertThat(june.get("allocations").get(0).get("allocationId").asString()).isEqualTo(kms);
        assertThat(june.get("allocations").get(0).get("tags").get("env").asString()).isEqualTo("prod");
        assertThat(june.get("summary").get("totalAmount").decimalValue()).isEqualByComparingTo("130.75");
        assertThat(ok(alphaApi.allocations("?resourceType=vault.secret")).get("allocations").size()).isEqualTo(1);

        JsonNode summary = ok(alphaApi.costSummary());
        assertThat(summary.get("period").asString()).isEqualTo("2030-06");
        assertThat(summary.get("currency").asString()).isEqualTo("USD");
        assertThat(summary.get("totalCost").decimalValue()).isEqualByComparingTo("160.75");
        assertThat(summary.get("byService").get("kms").decimalValue()).isEqualByComparingTo("120.5");
        assertThat(summary.get("byService").get("vault").decimalValue()).isEqualByComparingTo("30");
        assertThat(summary.get("byService").get("storage").decimalValue()).isEqualByComparingTo("10.25");
        // (160.75 - 100) / 100
        assertThat(summary.get("trend").get("change").decimalValue()).isEqualByComparingTo("60.75");
        assertThat(summary.get("trend").get("direction").asString()).isEqualTo("up");

        // tenant B sees none of it
        assertThat(ok(betaApi.allocations("")).get("allocations").isEmpty()).isTrue();
        assertThat(ok(betaApi.allocations("")).get("summary").get("totalAmount").decimalValue())
                .isEqualByComparingTo("0");
        JsonNode betaSummary = ok(betaApi.costSummary());
        assertThat(betaSummary.get("totalCost").decimalValue()).isEqualByComparingTo("0");
        assertThat(betaSummary.get("byService").get("kms").decimalValue()).isEqualByComparingTo("0");
        assertThat(betaSummary.get("trend").get("direction").asString()).isEqualTo("stable");

        streams.awaitAudit(alpha, "observability.cost_allocation.recorded", kms);
    }

    @Test
    void aBudgetBreachIsAnAlertRaisedOncePerThresholdAndPeriod() {
        JsonNode budget = ok(alphaApi.createBudget(body("name", "platform monthly", "amount", 100, "currency", "USD",
                "period", "monthly", "scope", body("costCenters", List.of("platform"), "resourceTypes", List.of()),
                "alerts", List.of(body("threshold", 100, "notificationChannels", List.of("email:finops")),
                        body("threshold", 50, "notificationChannels", List.of("slack:#costs"))))), 201);
        String budgetId = budget.get("budgetId").asString();
        assertThat(budget.get("name").asString()).isEqualTo("platform monthly");
        assertThat(budget.get("createdAt").asString()).isEqualTo(NOW.toString());

        record(alphaApi, "key-1", "kms.key", "platform", "40", "2030-06-02", "2030-06-03");
        assertThat(ok(alphaApi.costSummary()).get("budgetAlerts").isEmpty()).isTrue();
        record(alphaApi, "key-2", "kms.key", "platform", "20", "2030-06-04", "2030-06-05");
        // another cost center's spending is not this budget's
        record(alphaApi, "secret-1", "vault.secret", "security", "500", "2030-06-04", "2030-06-05");
        JsonNode half = ok(alphaApi.costSummary()).get("budgetAlerts");
        assertThat(half.size()).isEqualTo(1);
        assertThat(half.get(0).get("threshold").decimalValue()).isEqualByComparingTo("50");
        assertThat(half.get(0).get("spent").decimalValue()).isEqualByComparingTo("60");
        assertThat(half.get(0).get("budgetId").asString()).isEqualTo(budgetId);
        assertThat(half.get(0).get("periodStart").asString()).isEqualTo("2030-06-01T00:00:00Z");

        record(alphaApi, "bucket-1", "storage.bucket", "platform", "45", "2030-06-20", "2030-06-21");
        record(alphaApi, "bucket-2", "storage.bucket", "platform", "5", "2030-06-21", "2030-06-22");
        // May's spending belongs to May's period, whatever the budget spent in June
        record(alphaApi, "bucket-3", "storage.bucket", "platform", "45", "2030-05-21", "2030-05-22");
        JsonNode alerts = ok(alphaApi.costSummary()).get("budgetAlerts");
        assertThat(alerts.valueStream().map(a -> a.get("threshold").decimalValue().stripTrailingZeros()))
                .containsExactlyInAnyOrder(new BigDecimal("1E+2"), new BigDecimal("5E+1"));
        JsonNode full = alerts.valueStream().filter(a -> a.get("threshold").decimalValue().intValue() == 100)
                .findFirst().orElseThrow();
        assertThat(full.get("spent").decimalValue()).isEqualByComparingTo("105");

        JsonNode audited = streams.awaitAudit(alpha, "observability.budget.threshold_breached", budgetId);
        assertThat(audited.get("details").get("budgetName").asString()).isEqualTo("platform monthly");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> streams.auditEvents(alpha).stream()
                        .filter(e -> e.get("action").asString().equals("observability.budget.threshold_breached"))
                        .count() == 2);
        assertThat(streams.auditEvents(alpha).stream()
                .filter(e -> e.get("action").asString().equals("observability.budget.threshold_breached"))
                .map(e -> e.get("details").get("notificationChannels").asString()))
                .containsExactlyInAnyOrder("slack:#costs", "email:finops");
        assertThat(ok(betaApi.costSummary()).get("budgetAlerts").isEmpty()).isTrue();
    }

    @Test
    void allocationsAndBudgetsAreValidatedFieldByField() {
        assertFieldRefused(alphaApi.recordAllocation(allocation(null, "kms.key", "c", "1", "2030-06-01",
                "2030-06-02")), "resourceId");
        assertFieldRefused(alphaApi.recordAllocation(allocation("r", " ", "c", "1", "2030-06-01",
                "2030-06-02")), "resourceType");
        assertFieldRefused(alphaApi.recordAllocation(allocation("r", "kms.key", null, "1", "2030-06-01",
                "2030-06-02")), "costCenter");
        assertFieldRefused(alphaApi.recordAllocation(allocation("r", "kms.key", "c", "-1", "2030-06-01",
                "2030-06-02")), "amount");
        assertFieldRefused(alphaApi.recordAllocation(allocation("r", "kms.key", "c", "1", "June",
                "2030-06-02")), "period.start");
        assertFieldRefused(alphaApi.recordAllocation(allocation("r", "kms.key", "c", "1", "2030-06-02",
                "2030-06-01")), "period.end");
        Map<String, Object> euros = allocation("r", "kms.key", "c", "1", "2030-06-01", "2030-06-02");
        euros.put("currency", "EUR");
        assertFieldRefused(alphaApi.recordAllocation(euros), "currency");
        Map<String, Object> noPeriod = allocation("r", "kms.key", "c", "1", "2030-06-01", "2030-06-02");
        noPeriod.remove("period");
        assertFieldRefused(alphaApi.recordAllocation(noPeriod), "period");
        Map<String, Object> wordy = allocation("r", "kms.key", "c", "1", "2030-06-01", "2030-06-02");
        wordy.put("amount", "a lot");
        assertFieldRefused(alphaApi.recordAllocation(wordy), "amount");
        assertStatus(alphaApi.postJson("/observability/v1/costs/allocations", "{not json"), 400);
        assertFieldRefused(alphaApi.allocations("?startTime=yesterday"), "startTime");
        assertFieldRefused(alphaApi.allocations("?startTime=2030-06-02&endTime=2030-06-01"), "endTime");

        assertFieldRefused(alphaApi.createBudget(body("amount", 1, "currency", "USD", "period", "monthly")), "name");
        assertFieldRefused(alphaApi.createBudget(body("name", "b", "amount", 0, "currency", "USD", "period",
                "monthly")), "amount");
        assertFieldRefused(alphaApi.createBudget(body("name", "b", "amount", 1, "currency", "USD", "period",
                "weekly")), "period");
        assertFieldRefused(alphaApi.createBudget(body("name", "b", "amount", 1, "currency", "USD", "period",
                "monthly", "alerts", List.of(body("threshold", -5)))), "alerts[0].threshold");
        assertFieldRefused(alphaApi.createBudget(body("name", "b", "amount", 1, "currency", "USD", "period",
                "monthly", "scope", body("costCenters", List.of(" ")))), "scope.costCenters[0]");
        assertThat(ok(alphaApi.allocations("")).get("allocations").isEmpty()).isTrue();

        Map<String, Object> budget = body("name", "b", "amount", 1, "currency", "USD", "period", "yearly");
        ok(alphaApi.createBudget(budget), 201);
        assertStatus(alphaApi.createBudget(budget), 409);
        ok(betaApi.createBudget(budget), 201);
    }

    @Test
    void costsNeedATokenAndTheirScopes() {
        Map<String, Object> allocation = allocation("r", "kms.key", "c", "1", "2030-06-01", "2030-06-02");
        assertStatus(ObservabilityApi.anonymous(port).recordAllocation(allocation), 401);
        assertStatus(ObservabilityApi.anonymous(port).costSummary(), 401);
        ObservabilityApi reader = ObservabilityApi.withScopes(port, alpha, ObservabilityScopes.READ);
        ObservabilityApi writer = ObservabilityApi.withScopes(port, alpha, ObservabilityScopes.WRITE);
        assertStatus(reader.recordAllocation(allocation), 403);
        assertStatus(reader.createBudget(body("name", "b", "amount", 1, "currency", "USD", "period", "yearly")), 403);
        assertStatus(writer.allocations(""), 403);
        assertStatus(writer.costSummary(), 403);
        assertThat(ok(reader.allocations("")).get("allocations").isEmpty()).isTrue();
    }

    private static String record(ObservabilityApi api, String resourceId, String resourceType, String costCenter,
                                 String amount, String start, String end) {
        JsonNode recorded = ok(api.recordAllocation(allocation(resourceId, resourceType, costCenter, amount, start,
                end)), 201);
        assertThat(recorded.get("recorded").asBoolean()).isTrue();
        return recorded.get("allocationId").asString();
    }

    private static Map<String, Object> allocation(String resourceId, String resourceType, String costCenter,
                                                  String amount, String start, String end) {
        return body("resourceId", resourceId, "resourceType", resourceType, "costCenter", costCenter,
                "amount", new BigDecimal(amount), "currency", "USD", "period", body("start", start, "end", end),
                "tags", Map.of("env", "prod"));
    }
}
