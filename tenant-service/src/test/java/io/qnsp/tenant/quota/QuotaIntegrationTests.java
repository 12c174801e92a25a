package io.qnsp.tenant.quota;

import io.qnsp.common.controls.QuotaControl;
import io.qnsp.tenant.TenantApi;
import io.qnsp.tenant.TenantIntegrationTest;
import io.qnsp.tenant.TenantScopes;
import io.qnsp.test.time.TestClock;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quota usage read from the counters the quota control enforces, with the tenant's limits, and forecasts fitted to
 * the daily history of those counters.
 */
@TenantIntegrationTest
class QuotaIntegrationTests {

    static final Instant MARCH_THIRD = Instant.parse("2031-03-03T10:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    TestClock clock;

    @Autowired
    ApplicationContext context;

    final String alpha = TenantApi.newTenant();
    final String beta = TenantApi.newTenant();
    QuotaControl quota;

    @BeforeEach
    void setUp() {
        quota = new QuotaControl(context);
        clock.pin(MARCH_THIRD);
    }

    @AfterEach
    void release() {
        clock.release();
    }

    private static JsonNode quotaOf(JsonNode quotas, String type) {
        for (JsonNode quota : quotas.get("quotas")) {
            if (quota.get("quotaType").asString().equals(type)) {
                return quota;
            }
        }
        throw new AssertionError(type + " not listed in " + quotas);
    }

    private static JsonNode forecastOf(JsonNode forecasts, String type) {
        for (JsonNode forecast : forecasts.get("forecasts")) {
            if (forecast.get("quotaType").asString().equals(type)) {
                return forecast;
            }
        }
        throw new AssertionError(type + " not forecast in " + forecasts);
    }

    @Test
    void currentUsageIsTheEnforcedCounterAgainstThePlansLimit() {
        // default plan: kms.keys limited to 50 (application-test.yml); five keys created
        assertThat(quota.take(alpha, null, "kms.keys", null, 5)).isTrue();

        JsonNode quotas = ok(TenantApi.tenant(port, alpha).currentQuotas());
        JsonNode keys = quotaOf(quotas, "kms.keys");
        assertThat(keys.get("quotaName").asString()).isEqualTo("KMS keys created");
        assertThat(keys.get("limit").asLong()).isEqualTo(50);
        assertThat(keys.get("used").asLong()).isEqualTo(5);
        assertThat(keys.get("remaining").asLong()).isEqualTo(45);
        assertThat(keys.get("percentage").asDouble()).isEqualTo(10.0);
        assertThat(keys.get("window").asString()).isEqualTo("2031-03");
        JsonNode buckets = quotaOf(quotas, "storage.buckets");
        assertThat(buckets.get("limit").isNull()).isTrue();
        assertThat(buckets.get("used").asLong()).isZero();

        // beta's counter is its own
        assertThat(quotaOf(ok(TenantApi.tenant(port, beta).currentQuotas()), "kms.keys").get("used").asLong())
                .isZero();
    }

    @Test
    void theTenantsOwnLimitWinsAndAFullQuotaShowsNothingRemaining() {
        String token = TestTokens.forTenant(alpha).subject("owner").scopes(TenantScopes.READ)
                .claim("quotas", Map.of("kms.keys", 3)).mint();
        assertThat(quota.take(alpha, null, "kms.keys", 3L, 4)).as("the fourth is refused").isFalse();

        JsonNode keys = quotaOf(ok(TenantApi.withToken(port, token).currentQuotas()), "kms.keys");
        assertThat(keys.get("limit").asLong()).isEqualTo(3);
        assertThat(keys.get("used").asLong()).isEqualTo(3);
        assertThat(keys.get("remaining").asLong()).isZero();
        assertThat(keys.get("percentage").asDouble()).isEqualTo(100.0);
    }

    @Test
    void aForecastFitsTheDailyHistoryAndFindsTheDayTheLimitIsPassed() {
        String token = TestTokens.forTenant(alpha).subject("owner").scopes(TenantScopes.READ)
                .claim("quotas", Map.of("kms.keys", 40)).mint();
        TenantApi api = TenantApi.withToken(port, token);
        Map<String, Object> request = Map.of("quotaTypes", List.of("kms.keys", "storage.buckets"),
                "forecastDays", 60);
        for (int day = 0; day < 3; day++) {
            clock.pin(MARCH_THIRD.plus(Duration.ofDays(day)));
            assertThat(quota.take(alpha, null, "kms.keys", 40L, 2)).isTrue();
            assertThat(quota.take(alpha, null, "storage.buckets", null, 1)).isTrue();
            ok(api.currentQuotas());
        }

        JsonNode forecasts = ok(api.forecast(request));
        assertThat(forecasts.get("forecasts")).hasSize(2);
        JsonNode keys = forecastOf(forecasts, "kms.keys");
        assertThat(keys.get("currentUsage").asLong()).isEqualTo(6);
        assertThat(keys.get("dailyRate").asDouble()).isEqualTo(2.0);
        assertThat(keys.get("samples").asInt()).isEqualTo(3);
        // 6 + 2 a day passes 40 on the 18th day after March 5th
        assertThat(keys.get("exceedsLimitAt").asString()).isEqualTo("2031-03-23");
        // 60 days on is May 4th: the counter restarted on May 1st and has counted four days
        assertThat(keys.get("projectedUsage").asLong()).isEqualTo(8);
        JsonNode buckets = forecastOf(forecasts, "storage.buckets");
        assertThat(buckets.get("dailyRate").asDouble()).isEqualTo(1.0);
        assertThat(buckets.get("exceedsLimitAt").isNull()).as("unlimited").isTrue();

        // the short forecast ends before the limit is reached
        JsonNode week = forecastOf(ok(api.forecast(Map.of("quotaTypes", List.of("kms.keys"), "forecastDays", 7))),
                "kms.keys");
        assertThat(week.get("projectedUsage").asLong()).isEqualTo(20);
        assertThat(week.get("exceedsLimitAt").isNull()).isTrue();
    }

    @Test
    void withOneSampleTheRateIsTheWindowsAverage() {
        clock.pin(Instant.parse("2031-03-05T08:00:00Z"));
        assertThat(quota.take(beta, null, "kms.keys", null, 10)).isTrue();

        JsonNode keys = forecastOf(ok(TenantApi.tenant(port, beta).forecast(Map.of("quotaTypes", List.of("kms.keys"),
                "forecastDays", 30))), "kms.keys");
        // 10 units over the window's five days so far: 2 a day; the default plan's limit 50 passed on March 26th
        assertThat(keys.get("dailyRate").asDouble()).isEqualTo(2.0);
        assertThat(keys.get("samples").asInt()).isEqualTo(1);
        assertThat(keys.get("exceedsLimitAt").asString()).isEqualTo("2031-03-26");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        TenantApi api = TenantApi.tenant(port, alpha);
        assertFieldRefused(api.forecast(Map.of("forecastDays", 0)), "forecastDays");
        assertFieldRefused(api.forecast(Map.of("forecastDays", 366)), "forecastDays");
        assertFieldRefused(api.forecast(Map.of("quotaTypes", List.of("kms.keys", "nope"))), "quotaTypes[1]");
        assertFieldRefused(api.postJson("/tenant/v1/quotas/forecast", "{\"forecastDays\": \"soon\"}"),
                "forecastDays");
        assertStatus(TenantApi.anonymous(port).currentQuotas(), 401);
        assertStatus(TenantApi.withScopes(port, alpha, "kms:read").forecast(Map.of()), 403);
    }
}
