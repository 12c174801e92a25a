package io.qnsp.observability.dashboard;

import io.qnsp.observability.ObservabilityIntegrationTests;
import io.qnsp.observability.ObservabilityApi;
import io.qnsp.observability.ObservabilityScopes;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static io.qnsp.test.http.ServiceApi.body;
import static org.assertj.core.api.Assertions.assertThat;

/** Custom dashboards: stored as defined when their panels fit the grid and name real metrics, listed per tenant. */
class DashboardIntegrationTests extends ObservabilityIntegrationTests {

    @Test
    void aDashboardIsStoredAndListedForItsTenantOnly() {
        JsonNode created = ok(alphaApi.createDashboard(dashboard("API health", List.of(
                panel("chart", "Error rate", "avg(error_rate)", 0, 0, 6, 4),
                panel("metric", "Requests", "request_count", 6, 0, 6, 4),
                panel("text", "Runbook", "Page the on-call when the error rate doubles.", 0, 4, 12, 2)))), 201);
        String id = created.get("dashboardId").asString();
        assertThat(created.get("name").asString()).isEqualTo("API health");
        assertThat(created.get("createdAt").asString()).isNotBlank();
        assertThat(created.get("panels").size()).isEqualTo(3);
        assertThat(created.get("panels").get(0).get("query").asString()).isEqualTo("avg(error_rate)");

        JsonNode listed = ok(alphaApi.dashboards()).get("dashboards");
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).get("dashboardId").asString()).isEqualTo(id);
        assertThat(listed.get(0).get("name").asString()).isEqualTo("API health");
        assertThat(listed.get(0).get("owner").asString()).isEqualTo("operator-" + alpha);
        assertThat(listed.get(0).get("starred").asBoolean()).isFalse();
        assertThat(listed.get(0).get("shared").asBoolean()).isFalse();
        assertThat(listed.get(0).get("panelCount").asInt()).isEqualTo(3);

        // tenant B never sees tenant A's dashboards
        assertThat(ok(betaApi.dashboards()).get("dashboards").isEmpty()).isTrue();
        JsonNode audited = streams.awaitAudit(alpha, "observability.dashboard.created", id);
        assertThat(audited.get("actor").asString()).isEqualTo("operator-" + alpha);
    }

    @Test
    void aPrivateDashboardIsItsOwnersAndASharedOneTheTenants() {
        ObservabilityApi colleague = ObservabilityApi.member(port, alpha, "colleague");
        Map<String, Object> mine = dashboard("mine", List.of(panel("chart", "p95", "p95(latency_mean_ms)", 0, 0, 4,
                4)));
        ok(alphaApi.createDashboard(mine), 201);
        Map<String, Object> team = dashboard("team", List.of(panel("table", "limits", "sum(rate_limited_count)", 0,
                0, 4, 4)));
        team.put("shared", true);
        team.put("starred", true);
        ok(alphaApi.createDashboard(team), 201);

        assertThat(ok(alphaApi.dashboards()).get("dashboards").valueStream().map(d -> d.get("name").asString()))
                .containsExactly("team", "mine");
        JsonNode seen = ok(colleague.dashboards()).get("dashboards");
        assertThat(seen.valueStream().map(d -> d.get("name").asString())).containsExactly("team");
        assertThat(seen.get(0).get("shared").asBoolean()).isTrue();
        assertThat(seen.get(0).get("starred").asBoolean()).isTrue();
    }

    @Test
    void panelsMustNameKnownMetricsAndFitTheGrid() {
        assertFieldRefused(alphaApi.createDashboard(dashboard("d", List.of(
                panel("chart", "CPU", "avg(cpu_load)", 0, 0, 4, 4)))), "panels[0].query");
        JsonNode unknown = alphaApi.createDashboard(dashboard("d", List.of(
                panel("chart", "ok", "error_rate", 0, 0, 4, 4),
                panel("metric", "CPU", "cpu_load", 4, 0, 4, 4)))).getBody();
        assertThat(unknown.get("details").get("field").asString()).isEqualTo("panels[1].query");
        assertThat(unknown.get("message").asString()).contains("cpu_load");
        assertFieldRefused(alphaApi.createDashboard(dashboard("d", List.of(
                panel("chart", "x", "median(error_rate)", 0, 0, 4, 4)))), "panels[0].query");
        assertFieldRefused(alphaApi.createDashboard(dashboard("d", List.of(
                panel("chart", "x", null, 0, 0, 4, 4)))), "panels[0].query");
        assertFieldRefused(alphaApi.createDashboard(dashboard("d", List.of(
                panel("gauge", "x", "error_rate", 0, 0, 4, 4)))), "panels[0].type");
        assertFieldRefused(alphaApi.createDashboard(dashboard("d", List.of(
                panel("chart", "x", "error_rate", 10, 0, 4, 4)))), "panels[0].position.w");
        assertFieldRefused(alphaApi.createDashboard(dashboard("d", List.of(
                panel("chart", "x", "error_rate", 0, 0, 4, 4),
                panel("chart", "y", "error_rate", 2, 2, 4, 4)))), "panels[1].position");
        assertFieldRefused(alphaApi.createDashboard(dashboard(null, List.of())), "name");
        assertFieldRefused(alphaApi.createDashboard(body("name", "d", "layout", body("columns", 0, "rows", 8),
                "panels", List.of())), "layout.columns");
        assertFieldRefused(alphaApi.createDashboard(body("name", "d", "panels", List.of())), "layout.columns");
        assertFieldRefused(alphaApi.createDashboard(body("name", "d", "layout", body("columns", "wide", "rows", 8),
                "panels", List.of())), "layout.columns");
        assertThat(ok(alphaApi.dashboards()).get("dashboards").isEmpty()).isTrue();

        ok(alphaApi.createDashboard(dashboard("d", List.of())), 201);
        assertStatus(alphaApi.createDashboard(dashboard("d", List.of())), 409);
    }

    @Test
    void dashboardsNeedATokenAndTheirScopes() {
        assertStatus(ObservabilityApi.anonymous(port).dashboards(), 401);
        assertStatus(ObservabilityApi.anonymous(port).createDashboard(dashboard("d", List.of())), 401);
        assertStatus(ObservabilityApi.withScopes(port, alpha, ObservabilityScopes.READ)
                .createDashboard(dashboard("d", List.of())), 403);
        assertStatus(ObservabilityApi.withScopes(port, alpha, ObservabilityScopes.WRITE).dashboards(), 403);
    }

    static Map<String, Object> dashboard(String name, List<Map<String, Object>> panels) {
        return body("name", name, "description", "what matters", "layout", body("columns", 12, "rows", 8),
                "panels", panels);
    }

    static Map<String, Object> panel(String type, String title, String query, int x, int y, int w, int h) {
        return body("type", type, "title", title, "query", query, "position", body("x", x, "y", y, "w", w, "h", h));
    }
}
