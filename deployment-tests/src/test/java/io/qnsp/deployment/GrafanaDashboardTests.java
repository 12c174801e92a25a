package io.qnsp.deployment;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The Grafana dashboard queries metrics the platform really publishes, under the names Prometheus gives them. */
class GrafanaDashboardTests {

    private static final Pattern METRIC = Pattern.compile("\\b(qnsp_[a-z0-9_]+|http_server_requests_seconds_[a-z]+)");
    private static final Pattern METER_NAME = Pattern.compile("\"(qnsp\\.[a-z0-9_.]+)\"");

    @Test
    void everyPanelQueriesAMetricTheCodeRegisters() throws IOException {
        JsonNode dashboard = Repository.json(Repository.file("docker/grafana/dashboards/qnsp-platform.json"));
        Set<String> queried = new LinkedHashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("qnsp-prometheus");
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asString());
                while (m.find()) {
                    queried.add(m.group(1));
                }
            }
        }
        assertThat(queried).contains("http_server_requests_seconds_count", "http_server_requests_seconds_sum",
                "qnsp_ratelimit_decisions_total", "qnsp_events_outbox_pending");

        Set<String> published = publishedMeterNames();
        for (String metric : queried) {
            if (metric.startsWith("qnsp_")) {
                String meter = metric.replaceAll("_(total|seconds_sum|seconds_count|seconds_max)$", "");
                assertThat(published).as(metric + " is the Prometheus name of a meter the code registers")
                        .contains(meter);
            }
        }
        JsonNode datasource = Repository.yaml(Repository.file("docker/grafana/provisioning/datasources/prometheus.yml"));
        assertThat(datasource.at("/datasources/0/uid").asString()).isEqualTo("qnsp-prometheus");
    }

    /** Every meter name string in the services' and common-lib's main sources, as Prometheus spells it. */
    private static Set<String> publishedMeterNames() throws IOException {
        Set<String> names = new HashSet<>();
        try (Stream<Path> files = Files.walk(Repository.root(), 12)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/")
                    && !f.toString().contains("/bench/")).toList()) {
                Matcher m = METER_NAME.matcher(Repository.read(file));
                while (m.find()) {
                    names.add(m.group(1).replace('.', '_'));
                }
            }
        }
        return names;
    }
}
