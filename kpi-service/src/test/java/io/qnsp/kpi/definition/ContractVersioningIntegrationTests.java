package io.qnsp.kpi.definition;

import io.qnsp.kpi.KpiClient;
import io.qnsp.kpi.KpiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.kpi.KpiAssertions.assertError;
import static io.qnsp.kpi.KpiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.ok;
import static io.qnsp.kpi.KpiClient.BASE;
import static io.qnsp.kpi.KpiClient.body;
import static io.qnsp.kpi.KpiClient.sample;
import static io.qnsp.kpi.KpiClient.window;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contracts are versioned: a new version changes what a query naming no version gets, never what a query pinned to an
 * earlier version gets; concurrent publications conflict on their base version; the platform's KPIs are read-only.
 */
@KpiIntegrationTest
class ContractVersioningIntegrationTests {

    @LocalServerPort
    int port;

    KpiClient api;

    @BeforeEach
    void setUp() {
        api = KpiClient.of(port, "tenant-" + UUID.randomUUID());
    }

    @Test
    void aNewVersionNeverChangesTheAnswerOfAQueryPinnedToAnEarlierOne() {
        JsonNode defined = api.define("revenue_mtd", "sum", "region");
        assertThat(defined.get("contract").asString()).isEqualTo("v1");
        api.ingest("revenue_mtd", List.of(
                sample("2025-10-01T10:00:00Z", 100, Map.of("region", "IN")),
                sample("2025-10-01T11:00:00Z", 50, Map.of("region", "IN")),
                sample("2025-10-01T12:00:00Z", 7, Map.of("region", "US"))));
        Map<String, Object> pinned = body("kpi", "revenue_mtd", "contract", "v1",
                "filters", Map.of("region", List.of("IN")), "window", window("2025-10-01", "2025-10-05"));
        JsonNode before = ok(api.query(pinned));
        assertThat(before.get("points").get(0).get("value").asDouble()).isEqualTo(150.0);

        // v2 drops region for country and channel, and averages by default
        JsonNode v2 = ok(api.post(BASE + "/kpis/revenue_mtd/contracts", body("basedOn", "v1", "unit", "USD",
                "aggregation", "avg", "dimensions", List.of("country", "channel"))), 201);
        assertThat(v2.get("contract").asString()).isEqualTo("v2");
        assertThat(v2.get("contracts").get(0).get("dimensions").get(0).asString()).isEqualTo("region");
        api.ingest("revenue_mtd", List.of(sample("2025-10-02T10:00:00Z", 30, Map.of("country", "DE"))));

        JsonNode after = ok(api.query(pinned));
        assertThat(after.get("contract").asString()).isEqualTo("v1");
        assertThat(after.get("aggregation").asString()).isEqualTo("sum");
        assertThat(after.get("points")).isEqualTo(before.get("points"));

        assertFieldRefused(api.query(body("kpi", "revenue_mtd", "contract", "v2",
                "filters", Map.of("region", List.of("IN")), "window", window("2025-10-01", "2025-10-05"))),
                "filters.region");
        JsonNode latest = ok(api.query(body("kpi", "revenue_mtd", "window", window("2025-10-01", "2025-10-05"),
                "granularity", "window")));
        assertThat(latest.get("contract").asString()).isEqualTo("v2");
        assertThat(latest.get("aggregation").asString()).isEqualTo("avg");
        assertThat(latest.get("points").get(0).get("value").asDouble()).isEqualTo((100 + 50 + 7 + 30) / 4.0);

        // samples may still be ingested under v1, with v1's dimensions
        JsonNode old = ok(api.post(BASE + "/ingest", body("kpi", "revenue_mtd", "contract", "v1",
                "samples", List.of(sample("2025-10-03T10:00:00Z", 5, Map.of("region", "IN"))))));
        assertThat(old.get("contract").asString()).isEqualTo("v1");
        assertFieldRefused(api.post(BASE + "/ingest", body("kpi", "revenue_mtd",
                "samples", List.of(sample("2025-10-03T10:00:00Z", 5, Map.of("region", "IN"))))),
                "samples[0].dimensions.region");
    }

    @Test
    void publishingOnAVersionThatIsNoLongerTheNewestConflicts() {
        api.define("signups", "count");
        ok(api.post(BASE + "/kpis/signups/contracts", body("basedOn", "v1", "dimensions", List.of("plan"))), 201);
        JsonNode conflict = assertError(api.post(BASE + "/kpis/signups/contracts", body("basedOn", "v1",
                "dimensions", List.of("source"))), 409, "version_conflict");
        assertThat(conflict.get("details").get("currentContract").asString()).isEqualTo("v2");
        assertThat(conflict.get("details").get("field").asString()).isEqualTo("basedOn");

        JsonNode again = assertError(api.post(BASE + "/kpis", body("kpi", "signups")), 409, "version_conflict");
        assertThat(again.get("details").get("currentContract").asString()).isEqualTo("v2");

        assertError(api.post(BASE + "/kpis/signups/contracts", body("basedOn", "v7")), 404, "not_found");
        assertError(api.post(BASE + "/kpis/unknown/contracts", body("basedOn", "v1")), 404, "not_found");
        assertFieldRefused(api.post(BASE + "/kpis/signups/contracts", body("basedOn", "latest")), "basedOn");
        assertFieldRefused(api.post(BASE + "/kpis/signups/contracts", body("dimensions", List.of("a"))), "basedOn");
        assertError(api.query(body("kpi", "signups", "contract", "v3", "window", window("2025-10-01", "2025-10-02"))),
                404, "not_found");
    }

    @Test
    void theListShowsThePlatformsKpisAndTheTenantsWithEveryVersion() {
        api.define("orders", "sum", "region");
        ok(api.post(BASE + "/kpis/orders/contracts", body("basedOn", "v1", "description", "Orders placed",
                "dimensions", List.of("region", "channel"))), 201);

        JsonNode items = ok(api.get(BASE + "/kpis")).get("items");
        List<String> names = new ArrayList<>();
        items.forEach(item -> names.add(item.get("kpi").asString()));
        assertThat(names).containsExactly(PlatformKpis.REQUEST_DURATION, PlatformKpis.USAGE, "orders");
        JsonNode orders = items.get(2);
        assertThat(orders.get("contract").asString()).isEqualTo("v2");
        assertThat(orders.get("source").asString()).isEqualTo("tenant");
        assertThat(orders.get("contracts").get(0).get("contract").asString()).isEqualTo("v1");
        assertThat(orders.get("contracts").get(1).get("description").asString()).isEqualTo("Orders placed");
        assertThat(orders.get("contracts").get(1).get("dimensions").size()).isEqualTo(2);
        assertThat(orders.get("contracts").get(1).get("createdAt").isNull()).isFalse();
        assertThat(items.get(0).get("source").asString()).isEqualTo("platform");

        // another tenant sees the platform's KPIs and none of this tenant's
        JsonNode other = ok(KpiClient.of(port, "tenant-" + UUID.randomUUID()).get(BASE + "/kpis")).get("items");
        assertThat(other.size()).isEqualTo(2);
    }

    @Test
    void thePlatformsKpisAreReadOnlyForTenants() {
        assertError(api.post(BASE + "/kpis/" + PlatformKpis.USAGE + "/contracts", body("basedOn", "v1")), 403,
                "forbidden");
        assertError(api.post(BASE + "/ingest", body("kpi", PlatformKpis.USAGE,
                "samples", List.of(sample("2025-10-01T00:00:00Z", 1, Map.of())))), 403, "forbidden");
        assertFieldRefused(api.post(BASE + "/kpis", body("kpi", "platform.usage")), "kpi");
    }

    @Test
    void definitionsAreChecked() {
        assertFieldRefused(api.post(BASE + "/kpis", body("aggregation", "sum")), "kpi");
        assertFieldRefused(api.post(BASE + "/kpis", body("kpi", "Revenue")), "kpi");
        assertFieldRefused(api.post(BASE + "/kpis", body("kpi", "ok", "aggregation", "median")), "aggregation");
        assertFieldRefused(api.post(BASE + "/kpis", body("kpi", "ok", "dimensions", List.of("a", "a"))),
                "dimensions[1]");
        assertFieldRefused(api.post(BASE + "/kpis", body("kpi", "ok", "unit", "x".repeat(33))), "unit");
        assertFieldRefused(api.postJson(BASE + "/kpis", "{\"kpi\": \"ok\", \"dimensions\": \"region\"}"),
                "dimensions");
    }
}
