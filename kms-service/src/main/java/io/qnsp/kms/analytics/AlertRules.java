package io.qnsp.kms.analytics;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stored alert rules, read within one tenant except by the evaluation. */
@Repository
class AlertRules {

    /** Joins a list into one text parameter PostgreSQL splits into an array; channels never hold it. */
    static final String SEPARATOR = "\u001f";

    private static final String COLUMNS = "rule_id, tenant_id, name, array_to_string(key_ids, ',') AS key_ids, "
            + "metric, operator, threshold, window_text, severity, "
            + "array_to_string(notification_channels, E'\\x1f') AS channels, enabled, created_at, updated_at";

    private final NamedParameterJdbcTemplate jdbc;

    AlertRules(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(AlertRule rule) {
        jdbc.update("INSERT INTO usage_alert_rule (rule_id, tenant_id, name, key_ids, metric, operator, threshold, "
                + "window_text, window_seconds, severity, notification_channels, enabled, created_at, updated_at) "
                + "VALUES (:id, :tenant, :name, CAST(string_to_array(:keys, ',') AS UUID[]), :metric, :operator, "
                + ":threshold, :window, :windowSeconds, :severity, string_to_array(:channels, E'\\x1f'), :enabled, "
                + ":createdAt, :updatedAt)", values(rule)
                .addValue("keys", String.join(",", rule.keyIds().stream().map(UUID::toString).toList()))
                .addValue("channels", String.join(SEPARATOR, rule.notificationChannels()))
                .addValue("createdAt", Timestamp.from(rule.createdAt())));
    }

    void update(AlertRule rule) {
        jdbc.update("UPDATE usage_alert_rule SET name = :name, metric = :metric, operator = :operator, "
                + "threshold = :threshold, window_text = :window, window_seconds = :windowSeconds, "
                + "severity = :severity, enabled = :enabled, updated_at = :updatedAt "
                + "WHERE rule_id = :id AND tenant_id = :tenant", values(rule));
    }

    boolean delete(String tenantId, UUID ruleId) {
        return jdbc.update("DELETE FROM usage_alert_rule WHERE rule_id = :id AND tenant_id = :tenant",
                new MapSqlParameterSource("id", ruleId).addValue("tenant", tenantId)) > 0;
    }

    Optional<AlertRule> find(String tenantId, UUID ruleId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM usage_alert_rule WHERE rule_id = :id AND tenant_id = :tenant",
                new MapSqlParameterSource("id", ruleId).addValue("tenant", tenantId), RULE).stream().findFirst();
    }

    /** The same, locked until the transaction ends, so that changes of one rule happen one at a time. */
    Optional<AlertRule> findForUpdate(String tenantId, UUID ruleId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM usage_alert_rule WHERE rule_id = :id AND tenant_id = :tenant "
                        + "FOR UPDATE", new MapSqlParameterSource("id", ruleId).addValue("tenant", tenantId), RULE)
                .stream().findFirst();
    }

    /** The tenant's rules, oldest first. */
    List<AlertRule> list(String tenantId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM usage_alert_rule WHERE tenant_id = :tenant "
                + "ORDER BY created_at, rule_id", new MapSqlParameterSource("tenant", tenantId), RULE);
    }

    /** Every tenant's enabled rules: what the evaluation checks. */
    List<AlertRule> enabled() {
        return jdbc.query("SELECT " + COLUMNS + " FROM usage_alert_rule WHERE enabled ORDER BY created_at, rule_id",
                new MapSqlParameterSource(), RULE);
    }

    private static MapSqlParameterSource values(AlertRule rule) {
        return new MapSqlParameterSource("id", rule.ruleId()).addValue("tenant", rule.tenantId())
                .addValue("name", rule.name()).addValue("metric", rule.condition().metric().apiName())
                .addValue("operator", rule.condition().operator().apiName())
                .addValue("threshold", rule.condition().threshold()).addValue("window", rule.condition().window())
                .addValue("windowSeconds", rule.condition().windowLength().toSeconds())
                .addValue("severity", rule.severity().apiName()).addValue("enabled", rule.enabled())
                .addValue("updatedAt", Timestamp.from(rule.updatedAt()));
    }

    private static final RowMapper<AlertRule> RULE = (rs, row) -> new AlertRule(rs.getObject("rule_id", UUID.class),
            rs.getString("tenant_id"), rs.getString("name"), split(rs.getString("key_ids"), ",").stream()
            .map(UUID::fromString).toList(),
            new AlertCondition(AlertMetric.fromApiName(rs.getString("metric")),
                    AlertOperator.fromApiName(rs.getString("operator")), rs.getBigDecimal("threshold"),
                    rs.getString("window_text")),
            AlertSeverity.fromApiName(rs.getString("severity")), split(rs.getString("channels"), SEPARATOR),
            rs.getBoolean("enabled"), rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("updated_at").toInstant());

    private static List<String> split(String joined, String separator) {
        return joined == null || joined.isEmpty() ? List.of()
                : Arrays.asList(joined.split(java.util.regex.Pattern.quote(separator)));
    }
}
