package io.qnsp.ai.injection;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The tenants' injection patterns and the outcomes of their analyses, always read within one tenant. */
@Repository
class InjectionStore {

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<InjectionPattern> pattern = (rs, row) -> new InjectionPattern(
            rs.getObject("pattern_id", UUID.class), rs.getString("tenant_id"), rs.getString("name"),
            rs.getString("pattern"), rs.getString("category"), rs.getString("severity"), rs.getBoolean("enabled"),
            rs.getTimestamp("created_at").toInstant());

    InjectionStore(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(InjectionPattern p) {
        jdbc.update("INSERT INTO injection_pattern (pattern_id, tenant_id, name, pattern, category, severity, enabled, "
                + "created_at) VALUES (:id, :tenant, :name, :pattern, :category, :severity, :enabled, :created)",
                new MapSqlParameterSource("id", p.patternId()).addValue("tenant", p.tenantId())
                        .addValue("name", p.name()).addValue("pattern", p.pattern())
                        .addValue("category", p.category()).addValue("severity", p.severity())
                        .addValue("enabled", p.enabled()).addValue("created", Timestamp.from(p.createdAt())));
    }

    List<InjectionPattern> enabled(String tenantId) {
        return jdbc.query("SELECT * FROM injection_pattern WHERE tenant_id = :tenant AND enabled "
                + "ORDER BY created_at, pattern_id", new MapSqlParameterSource("tenant", tenantId), pattern);
    }

    void recordAnalysis(UUID analysisId, String tenantId, int riskScore, String recommendation,
                        List<String> categories, int detections, Instant at) {
        jdbc.update("INSERT INTO injection_analysis (analysis_id, tenant_id, risk_score, recommendation, categories, "
                + "detection_count, analyzed_at) VALUES (:id, :tenant, :score, :recommendation, "
                + "CAST(:categories AS JSONB), :detections, :at)", new MapSqlParameterSource("id", analysisId)
                .addValue("tenant", tenantId).addValue("score", riskScore).addValue("recommendation", recommendation)
                .addValue("categories", json.writeValueAsString(categories)).addValue("detections", detections)
                .addValue("at", Timestamp.from(at)));
    }

    record Totals(long analyzed, long blocked) {
    }

    Totals totals(String tenantId) {
        return jdbc.queryForObject("SELECT count(*) AS analyzed, count(*) FILTER (WHERE recommendation = 'block') "
                + "AS blocked FROM injection_analysis WHERE tenant_id = :tenant",
                new MapSqlParameterSource("tenant", tenantId),
                (rs, row) -> new Totals(rs.getLong("analyzed"), rs.getLong("blocked")));
    }

    /** Per category, the tenant's analyses with at least one detection of it. */
    Map<String, Long> analysesByCategory(String tenantId) {
        Map<String, Long> counts = new java.util.HashMap<>();
        jdbc.query("SELECT c.category, count(*) AS analyses FROM injection_analysis a, "
                + "jsonb_array_elements_text(a.categories) AS c(category) WHERE a.tenant_id = :tenant "
                + "GROUP BY c.category", new MapSqlParameterSource("tenant", tenantId),
                rs -> {
                    counts.put(rs.getString("category"), rs.getLong("analyses"));
                });
        return counts;
    }
}
