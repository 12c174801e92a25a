package io.qnsp.kpi.series;

import io.qnsp.kpi.KpiClient;
import io.qnsp.kpi.KpiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.kpi.KpiAssertions.assertError;
import static io.qnsp.kpi.KpiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.ok;
import static io.qnsp.kpi.KpiClient.BASE;
import static io.qnsp.kpi.KpiClient.sample;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /dimensions}: every value a dimension took, once, in byte order, across pages; per tenant. */
@KpiIntegrationTest
class DimensionsIntegrationTests {

    @LocalServerPort
    int port;

    KpiClient api;

    @BeforeEach
    void setUp() {
        api = KpiClient.of(port, "tenant-" + UUID.randomUUID());
    }

    @Test
    void aLargeDimensionIsReadPageByPageWithEveryValueOnce() {
        api.define("visits", "count", "city", "device");
        List<Map<String, Object>> samples = new ArrayList<>();
        List<String> cities = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            String city = (i % 3 == 0 ? "Zürich-" : i % 3 == 1 ? "city-" : "City ") + i;
            cities.add(city);
            // every value twice: it is listed once
            samples.add(sample("2025-10-01T00:00:00Z", 1, Map.of("city", city, "device", "d" + i % 4)));
            samples.add(sample("2025-10-02T00:00:00Z", 1, Map.of("city", city)));
        }
        api.ingest("visits", samples);

        List<String> read = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(api.get(BASE + "/dimensions?name=city&limit=100"
                    + (cursor == null ? "" : "&cursor=" + cursor)));
            page.get("items").forEach(item -> read.add(item.asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null);

        List<String> expected = new ArrayList<>(cities);
        expected.sort(Comparator.comparing(s -> new String(s.getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1)));
        assertThat(pages).isEqualTo(3);
        assertThat(read).containsExactlyElementsOf(expected);

        JsonNode devices = ok(api.get(BASE + "/dimensions?name=device&kpi=visits"));
        assertThat(devices.get("items").toString()).isEqualTo("[\"d0\",\"d1\",\"d2\",\"d3\"]");
        assertThat(devices.get("nextCursor").isNull()).isTrue();
        assertThat(ok(api.get(BASE + "/dimensions?name=colour")).get("items").size()).isZero();
    }

    @Test
    void valuesAreTheTenantsOwnAndCanBeNarrowedToOneKpi() {
        api.define("orders", "sum", "region");
        api.define("returns", "sum", "region");
        api.ingest("orders", List.of(sample("2025-10-01T00:00:00Z", 1, Map.of("region", "IN"))));
        api.ingest("returns", List.of(sample("2025-10-01T00:00:00Z", 1, Map.of("region", "EU"))));
        KpiClient other = KpiClient.of(port, "tenant-" + UUID.randomUUID());
        other.define("orders", "sum", "region");
        other.ingest("orders", List.of(sample("2025-10-01T00:00:00Z", 1, Map.of("region", "US"))));

        assertThat(ok(api.get(BASE + "/dimensions?name=region")).get("items").toString())
                .isEqualTo("[\"EU\",\"IN\"]");
        assertThat(ok(api.get(BASE + "/dimensions?name=region&kpi=orders")).get("items").toString())
                .isEqualTo("[\"IN\"]");
        assertThat(ok(other.get(BASE + "/dimensions?name=region")).get("items").toString())
                .isEqualTo("[\"US\"]");
        assertError(other.get(BASE + "/dimensions?name=region&kpi=returns"), 404, "not_found");
    }

    @Test
    void parametersAreChecked() {
        assertFieldRefused(api.get(BASE + "/dimensions"), "name");
        assertFieldRefused(api.get(BASE + "/dimensions?name=Region"), "name");
        assertFieldRefused(api.get(BASE + "/dimensions?name=region&limit=0"), "limit");
        assertFieldRefused(api.get(BASE + "/dimensions?name=region&limit=1001"), "limit");
        assertFieldRefused(api.get(BASE + "/dimensions?name=region&limit=ten"), "limit");
        assertFieldRefused(api.get(BASE + "/dimensions?name=region&cursor=%21%21"), "cursor");
    }
}
