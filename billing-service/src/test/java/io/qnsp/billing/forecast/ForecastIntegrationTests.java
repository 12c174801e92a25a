package io.qnsp.billing.forecast;

import io.qnsp.billing.BillingApi;
import io.qnsp.billing.BillingIntegrationTest;
import io.qnsp.test.time.TestClock;
import io.qnsp.billing.UsageStream;
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

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntToLongFunction;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.billing.BillingAssertions.assertMoney;
import static io.qnsp.test.http.ApiAssertions.assertNotFound;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Usage and capacity forecasts over HTTP, from daily usage published on the usage stream (one event per day whose
 * quantity is the day's units), with the service's clock on the 10th of June 2035.
 */
@BillingIntegrationTest
class ForecastIntegrationTests {

    static final Instant NOW = Instant.parse("2035-06-10T12:00:00Z");
    static final LocalDate YESTERDAY = LocalDate.of(2035, 6, 9);

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

    UsageStream usage;
    String tenant;
    BillingApi api;

    @BeforeEach
    void setUp() {
        usage = new UsageStream(outbox, transactions, jdbc, redis, keys);
        tenant = "tenant-" + UUID.randomUUID();
        api = BillingApi.tenant(port, tenant);
        clock.pin(NOW);
    }

    @AfterEach
    void releaseClock() {
        clock.release();
    }

    /** {@code days} days of usage ending yesterday, day i (0 the oldest) having {@code units(i)} units. */
    private List<UsageEvent> daily(String operation, String service, int days, IntToLongFunction units) {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            Instant noon = YESTERDAY.minusDays(days - 1 - i).atTime(12, 0).toInstant(ZoneOffset.UTC);
            events.add(UsageStream.event(tenant, operation, service, units.applyAsLong(i), noon));
        }
        return events;
    }

    private Map<String, JsonNode> byKey(JsonNode array, String key) {
        Map<String, JsonNode> map = new LinkedHashMap<>();
        array.forEach(node -> map.put(node.get(key).asString(), node));
        return map;
    }

    @Test
    void aLinearTrendIsForecastExactlyANoisyOneWithinItsIntervalAndAShortHistoryIsSaidPlainly() {
        Random noise = new Random(42);
        List<UsageEvent> events = new ArrayList<>();
        events.addAll(daily("auth.risk_evaluation", "auth-service", 60, i -> 200 + 10L * i));
        events.addAll(daily("kms.hsm.sign", "kms-service", 60,
                i -> Math.round(500 + 4 * i + 15 * noise.nextGaussian())));
        events.addAll(daily("access.jit_request", "access-service", 5, i -> 3));
        usage.publish(events);
        usage.awaitBilled(events);

        JsonNode answer = ok(api.get("/billing/v1/forecasting/usage/" + tenant + "?horizonDays=30"));
        assertThat(answer.get("tenantId").asString()).isEqualTo(tenant);
        Map<String, JsonNode> forecasts = byKey(answer.get("forecasts"), "metric");
        assertThat(forecasts.keySet()).containsExactlyInAnyOrder("auth.risk_evaluation", "kms.hsm.sign",
                "access.jit_request");

        JsonNode line = forecasts.get("auth.risk_evaluation");
        assertThat(line.get("status").asString()).isEqualTo("forecast");
        assertThat(line.get("method").asString()).isEqualTo("holt_linear_trend");
        assertThat(line.get("currentValue").asLong()).isEqualTo(200 + 10 * 59);
        assertThat(line.get("forecastDate").asString()).isEqualTo(YESTERDAY.plusDays(30).toString());
        assertThat(line.get("forecastedValue").asDouble()).isCloseTo(200 + 10 * (59 + 30), within(0.01));
        assertThat(line.get("trendPerDay").asDouble()).isCloseTo(10, within(0.0001));
        assertThat(line.get("confidence").asDouble()).isEqualTo(1.0);
        assertThat(line.get("interval").get("lower").asDouble()).isCloseTo(1090, within(0.01));
        assertThat(line.get("interval").get("upper").asDouble()).isCloseTo(1090, within(0.01));
        assertThat(line.get("interval").get("level").asDouble()).isEqualTo(0.95);
        assertThat(line.get("historyDays").asInt()).isEqualTo(60);

        JsonNode noisy = forecasts.get("kms.hsm.sign");
        double truth = 500 + 4 * (59 + 30);
        assertThat(noisy.get("interval").get("lower").asDouble()).isLessThanOrEqualTo(truth);
        assertThat(noisy.get("interval").get("upper").asDouble()).isGreaterThanOrEqualTo(truth);
        assertThat(noisy.get("trendPerDay").asDouble()).isCloseTo(4, within(1.5));
        assertThat(noisy.get("confidence").asDouble()).isStrictlyBetween(0.5, 1.0);
        assertThat(noisy.get("residualStdDev").asDouble()).isBetween(8.0, 25.0);

        JsonNode shortOne = forecasts.get("access.jit_request");
        assertThat(shortOne.get("status").asString()).isEqualTo("insufficient_history");
        assertThat(shortOne.get("forecastedValue").isNull()).isTrue();
        assertThat(shortOne.get("confidence").isNull()).isTrue();
        assertThat(shortOne.get("interval").isNull()).isTrue();
        assertThat(shortOne.get("currentValue").asLong()).isEqualTo(3);
        assertThat(shortOne.get("historyDays").asInt()).isEqualTo(5);
        assertThat(shortOne.get("message").asString()).contains("5 complete days").contains("needs 14");
    }

    @Test
    void capacityComparesThePeriodsUseAndItsProjectionWithThePlansIncludedUnits() {
        List<UsageEvent> events = new ArrayList<>();
        // the free plan includes 10000 secret version reads and 1000 risk evaluations a month
        events.addAll(daily("vault.secret_version_read", "vault-service", 60, i -> 300 + 2L * i));
        events.addAll(daily("auth.risk_evaluation", "auth-service", 60, i -> 200));
        events.addAll(daily("vault.secret_version_create", "vault-service", 3, i -> 10));
        events.addAll(daily("security.attack_simulation", "security-service", 30, i -> 1));
        usage.publish(events);
        usage.awaitBilled(events);

        JsonNode answer = ok(api.get("/billing/v1/forecasting/capacity/" + tenant));
        assertThat(answer.get("method").asString()).isEqualTo("holt_linear_trend");
        Map<String, JsonNode> capacity = byKey(answer.get("capacityForecasts"), "resource");
        // attack simulations are not included in the free plan: no capacity to speak of
        assertThat(capacity.keySet()).containsExactlyInAnyOrder("vault.secret_version_read", "auth.risk_evaluation",
                "vault.secret_version_create");

        // June 1st to 9th are days 51 to 59: 3690 reads; the 21 days left are forecast as 418 + 2h
        JsonNode reads = capacity.get("vault.secret_version_read");
        long projected = 3690;
        for (int h = 1; h <= 21; h++) {
            projected += 418 + 2L * h;
        }
        assertThat(reads.get("usedUnits").asLong()).isEqualTo(3690);
        assertThat(reads.get("includedUnits").asLong()).isEqualTo(10000);
        assertThat(reads.get("projectedUnits").asLong()).isEqualTo(projected);
        assertMoney(reads.get("currentUtilization"), "36.90");
        assertMoney(reads.get("projectedUtilization"), "129.30");
        assertThat(reads.get("recommendedAction").asString()).isEqualTo("expect_overage");
        // (12930 - 10000) × 0.0002
        assertMoney(reads.get("projectedOverageCost"), "0.59");
        assertThat(reads.get("message").asString()).contains("plan standard includes 500000");

        JsonNode evaluations = capacity.get("auth.risk_evaluation");
        assertThat(evaluations.get("usedUnits").asLong()).isEqualTo(1800);
        assertThat(evaluations.get("recommendedAction").asString()).isEqualTo("in_overage");
        assertMoney(evaluations.get("currentUtilization"), "180.00");

        JsonNode creates = capacity.get("vault.secret_version_create");
        assertThat(creates.get("recommendedAction").asString()).isEqualTo("insufficient_history");
        assertThat(creates.get("projectedUtilization").isNull()).isTrue();
        assertMoney(creates.get("currentUtilization"), "3.00");
    }

    @Test
    void forecastsAreTheTenantsOwnUnlessTheCallerIsTheOperator() {
        List<UsageEvent> events = daily("auth.risk_evaluation", "auth-service", 20, i -> 5);
        usage.publish(events);
        usage.awaitBilled(events);
        BillingApi stranger = BillingApi.tenant(port, "tenant-" + UUID.randomUUID());
        assertNotFound(stranger.get("/billing/v1/forecasting/usage/" + tenant));
        assertNotFound(stranger.get("/billing/v1/forecasting/capacity/" + tenant));
        BillingApi operator = BillingApi.operator(port);
        JsonNode seen = ok(operator.get("/billing/v1/forecasting/usage/" + tenant));
        assertThat(seen.get("forecasts").get(0).get("forecastedValue").asDouble()).isCloseTo(5, within(0.01));
        assertThat(seen.get("horizonDays").asInt()).isEqualTo(30);
        assertFieldRefused(api.get("/billing/v1/forecasting/usage/" + tenant + "?horizonDays=0"), "horizonDays");
        assertFieldRefused(api.get("/billing/v1/forecasting/usage/" + tenant + "?horizonDays=366"), "horizonDays");
        assertFieldRefused(api.get("/billing/v1/forecasting/usage/" + tenant + "?horizonDays=soon"), "horizonDays");
        // a tenant billing has not heard of yet has nothing to forecast
        String fresh = "tenant-" + UUID.randomUUID();
        assertThat(ok(BillingApi.tenant(port, fresh).get("/billing/v1/forecasting/usage/" + fresh))
                .get("forecasts")).isEmpty();
    }
}
