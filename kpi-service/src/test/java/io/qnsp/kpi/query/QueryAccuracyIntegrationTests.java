package io.qnsp.kpi.query;

import io.qnsp.kpi.KpiClient;
import io.qnsp.kpi.KpiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import static io.qnsp.test.http.ApiAssertions.ok;
import static io.qnsp.kpi.KpiClient.BASE;
import static io.qnsp.kpi.KpiClient.body;
import static io.qnsp.kpi.KpiClient.sample;
import static io.qnsp.kpi.KpiClient.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A query's points and confidence intervals equal what the test computes itself from the raw samples it ingested:
 * buckets by plain Java date arithmetic, means and standard deviations in two passes, t critical values by numerical
 * integration ({@link IndependentStatistics}), never by PostgreSQL or Commons Math.
 */
@KpiIntegrationTest
class QueryAccuracyIntegrationTests {

    record Raw(Instant ts, double value, String region, String channel) {
    }

    @LocalServerPort
    int port;

    KpiClient api;
    List<Raw> raw;

    @BeforeEach
    void ingestSeededSamples() {
        api = KpiClient.of(port, "tenant-" + UUID.randomUUID());
        api.define("latency_ms", "avg", "region", "channel");
        Random random = new Random(20251001);
        String[] regions = {"IN", "US", "EU"};
        String[] channels = {"web", "app"};
        raw = new ArrayList<>();
        Instant start = Instant.parse("2025-10-01T00:00:00Z");
        for (int i = 0; i < 700; i++) {
            // three days, at millisecond resolution, some hours crowded and others nearly empty
            long offset = (long) (Math.pow(random.nextDouble(), 1.3) * 3 * 86_400_000L);
            double value = Math.round((120 + 35 * random.nextGaussian()) * 1000) / 1000.0;
            raw.add(new Raw(start.plusMillis(offset), value, regions[random.nextInt(3)], channels[random.nextInt(2)]));
        }
        // on the window's edges: the first instant counts, the instant after the last day does not
        raw.add(new Raw(Instant.parse("2025-10-01T00:00:00Z"), 99.5, "IN", "web"));
        raw.add(new Raw(Instant.parse("2025-09-30T23:59:59.999Z"), 1e6, "IN", "web"));
        raw.add(new Raw(Instant.parse("2025-10-04T00:00:00Z"), 1e6, "IN", "web"));
        // later, hours of known occupancy: one sample, three samples, and two that the filters leave out
        raw.add(new Raw(Instant.parse("2025-10-05T01:15:00Z"), 80.25, "IN", "web"));
        raw.add(new Raw(Instant.parse("2025-10-05T02:00:00Z"), 90.5, "US", "web"));
        raw.add(new Raw(Instant.parse("2025-10-05T02:30:00Z"), 91.75, "IN", "web"));
        raw.add(new Raw(Instant.parse("2025-10-05T02:59:59.999Z"), 95.0, "US", "web"));
        raw.add(new Raw(Instant.parse("2025-10-05T03:10:00Z"), 70.0, "EU", "web"));
        raw.add(new Raw(Instant.parse("2025-10-05T03:20:00Z"), 71.0, "IN", "app"));
        List<Map<String, Object>> samples = new ArrayList<>();
        for (Raw r : raw) {
            samples.add(sample(r.ts().toString(), r.value(), Map.of("region", r.region(), "channel", r.channel())));
        }
        api.ingest("latency_ms", samples);
    }

    @Test
    void dailyMeansAndTheirConfidenceIntervalsEqualTheIndependentComputation() {
        JsonNode answer = ok(api.query(body("kpi", "latency_ms", "filters", Map.of("region", List.of("IN")),
                "window", window("2025-10-01", "2025-10-03"), "granularity", "day", "aggregation", "avg",
                "confidence", 0.95)));

        Map<String, List<Double>> expected = buckets(r -> r.region().equals("IN"),
                r -> r.ts().atOffset(ZoneOffset.UTC).toLocalDate().toString(), "2025-10-01", "2025-10-04");
        assertThat(expected).hasSize(3);
        assertThat(answer.get("kpi").asString()).isEqualTo("latency_ms");
        assertThat(answer.get("contract").asString()).isEqualTo("v1");
        assertThat(answer.get("confidence").asDouble()).isEqualTo(0.95);
        assertMeansWithIntervals(answer.get("points"), expected, 0.95);
    }

    @Test
    void hourlyMeansUnderSeveralFiltersHaveIntervalsOnlyWhereTwoSamplesOrMoreExist() {
        JsonNode answer = ok(api.query(body("kpi", "latency_ms",
                "filters", Map.of("region", List.of("IN", "US"), "channel", List.of("web")),
                "window", window("2025-10-02T00:00:00Z", "2025-10-05T12:00:00+00:00"), "granularity", "hour",
                "confidence", 0.99)));

        Map<String, List<Double>> expected = buckets(
                r -> (r.region().equals("IN") || r.region().equals("US")) && r.channel().equals("web"),
                r -> r.ts().truncatedTo(ChronoUnit.HOURS).toString(), "2025-10-02", "2025-10-05T12:00:00Z");
        assertThat(expected.values()).anyMatch(values -> values.size() == 1);
        assertThat(expected.values()).anyMatch(values -> values.size() >= 3);
        assertThat(answer.get("aggregation").asString()).as("the contract's aggregation").isEqualTo("avg");
        assertMeansWithIntervals(answer.get("points"), expected, 0.99);
    }

    @Test
    void sumsMinimaMaximaAndCountsEqualThoseOfTheSamples() {
        Map<String, List<Double>> expected = buckets(r -> true,
                r -> r.ts().atOffset(ZoneOffset.UTC).toLocalDate().toString(), "2025-10-01", "2025-10-04");
        for (String aggregation : List.of("sum", "min", "max", "count")) {
            JsonNode points = ok(api.query(body("kpi", "latency_ms", "window", window("2025-10-01", "2025-10-03"),
                    "aggregation", aggregation))).get("points");
            assertThat(points.size()).isEqualTo(expected.size());
            int i = 0;
            for (Map.Entry<String, List<Double>> bucket : expected.entrySet()) {
                JsonNode point = points.get(i++);
                List<Double> values = bucket.getValue();
                double value = switch (aggregation) {
                    case "sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
                    case "min" -> values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                    case "max" -> values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                    default -> values.size();
                };
                assertThat(point.get("ts").asString()).isEqualTo(bucket.getKey());
                assertThat(point.get("value").asDouble()).as("%s of %s", aggregation, bucket.getKey())
                        .isCloseTo(value, within(1e-9 * Math.max(1, Math.abs(value))));
                assertThat(point.get("samples").asLong()).isEqualTo(values.size());
                assertThat(point.get("ci").isNull()).as("only averages have intervals").isTrue();
            }
        }
    }

    @Test
    void theWholeWindowAsOneBucketAndCalendarMonthsAndWeeks() {
        Map<String, List<Double>> all = buckets(r -> r.channel().equals("app"), r -> "2025-10-01", "2025-10-01",
                "2025-10-04");
        assertThat(all).hasSize(1);
        JsonNode window = ok(api.query(body("kpi", "latency_ms", "filters", Map.of("channel", List.of("app")),
                "window", window("2025-10-01", "2025-10-03"), "granularity", "window", "confidence", 0.9)));
        assertMeansWithIntervals(window.get("points"), all, 0.9);

        JsonNode month = ok(api.query(body("kpi", "latency_ms", "filters", Map.of("channel", List.of("app")),
                "window", window("2025-09-15", "2025-10-20"), "granularity", "month", "aggregation", "count")));
        assertThat(month.get("points").size()).isEqualTo(1);
        assertThat(month.get("points").get(0).get("ts").asString()).isEqualTo("2025-10-01");
        assertThat(month.get("points").get(0).get("value").asLong()).isEqualTo(buckets(
                r -> r.channel().equals("app"), r -> "2025-10-01", "2025-09-15", "2025-10-21").get("2025-10-01").size());

        // 2025-10-01 is a Wednesday: its ISO week starts on Monday 2025-09-29, before the window
        JsonNode week = ok(api.query(body("kpi", "latency_ms", "window", window("2025-10-01", "2025-10-03"),
                "granularity", "week", "aggregation", "count")));
        assertThat(week.get("points").get(0).get("ts").asString()).isEqualTo("2025-09-29");
        assertThat(week.get("points").get(0).get("value").asLong()).isEqualTo(raw.size() - 2 - 6);
    }

    /** Each point equals its bucket's mean, count and t interval, computed here; buckets in order, none missing. */
    private static void assertMeansWithIntervals(JsonNode points, Map<String, List<Double>> expected, double level) {
        assertThat(points.size()).isEqualTo(expected.size());
        int i = 0;
        for (Map.Entry<String, List<Double>> bucket : expected.entrySet()) {
            JsonNode point = points.get(i++);
            List<Double> values = bucket.getValue();
            double mean = IndependentStatistics.mean(values);
            assertThat(point.get("ts").asString()).isEqualTo(bucket.getKey());
            assertThat(point.get("samples").asLong()).isEqualTo(values.size());
            assertThat(point.get("value").asDouble()).as("mean of %s", bucket.getKey())
                    .isCloseTo(mean, within(1e-9 * Math.max(1, Math.abs(mean))));
            if (values.size() < 2) {
                assertThat(point.get("ci").isNull()).as("one sample has no interval").isTrue();
                continue;
            }
            double margin = IndependentStatistics.tCritical(level, values.size() - 1)
                    * IndependentStatistics.sampleStandardDeviation(values) / Math.sqrt(values.size());
            assertThat(margin).isPositive();
            assertThat(point.get("ci").get("lower").asDouble()).as("lower end for %s", bucket.getKey())
                    .isCloseTo(mean - margin, within(1e-7 * Math.max(1, Math.abs(mean))));
            assertThat(point.get("ci").get("upper").asDouble()).as("upper end for %s", bucket.getKey())
                    .isCloseTo(mean + margin, within(1e-7 * Math.max(1, Math.abs(mean))));
        }
    }

    /** The raw values matching, in [from, to), grouped by the bucket key, in key order. */
    private Map<String, List<Double>> buckets(Predicate<Raw> filter, Function<Raw, String> key, String from,
                                              String to) {
        Instant start = from.length() == 10 ? LocalDate.parse(from).atStartOfDay().toInstant(ZoneOffset.UTC)
                : Instant.parse(from);
        Instant end = to.length() == 10 ? LocalDate.parse(to).atStartOfDay().toInstant(ZoneOffset.UTC)
                : Instant.parse(to);
        Map<String, List<Double>> buckets = new TreeMap<>();
        for (Raw r : raw) {
            if (!r.ts().isBefore(start) && r.ts().isBefore(end) && filter.test(r)) {
                buckets.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r.value());
            }
        }
        return buckets;
    }
}
