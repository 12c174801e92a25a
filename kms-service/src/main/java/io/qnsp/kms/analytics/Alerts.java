package io.qnsp.kms.analytics;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stored alerts. A rule has at most one open alert: the database refuses a second one. */
@Repository
class Alerts {

    private static final String COLUMNS = "alert_id, tenant_id, rule_id, key_id, alert_type, severity, message, "
            + "observed_value, triggered_at, resolved_at, acknowledged_at, acknowledged_by";

    private final NamedParameterJdbcTemplate jdbc;

    Alerts(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Opens the alert unless its rule has an open one already; answers whether it did. */
    boolean openUnlessOpen(Alert alert) {
        return jdbc.update("INSERT INTO usage_alert (" + COLUMNS + ") VALUES (:id, :tenant, :rule, CAST(:key AS UUID), :type, "
                        + ":severity, :message, :observed, :triggeredAt, NULL, NULL, NULL) "
                        + "ON CONFLICT (rule_id) WHERE resolved_at IS NULL DO NOTHING",
                new MapSqlParameterSource("id", alert.alertId()).addValue("tenant", alert.tenantId())
                        .addValue("rule", alert.ruleId()).addValue("key", alert.keyId() == null ? null : alert.keyId().toString(), Types.VARCHAR)
                        .addValue("type", alert.alertType()).addValue("severity", alert.severity().apiName())
                        .addValue("message", alert.message()).addValue("observed", alert.observedValue())
                        .addValue("triggeredAt", Timestamp.from(alert.triggeredAt()))) > 0;
    }

    /** Resolves the rule's open alert, if it has one; answers whether it did. */
    boolean resolve(UUID ruleId, Instant now) {
        return jdbc.update("UPDATE usage_alert SET resolved_at = :now WHERE rule_id = :rule AND resolved_at IS NULL",
                new MapSqlParameterSource("rule", ruleId).addValue("now", Timestamp.from(now))) > 0;
    }

    /** Resolves the open alerts of every disabled rule: a rule no longer watched cannot be breached. */
    int resolveOfDisabledRules(Instant now) {
        return jdbc.update("UPDATE usage_alert a SET resolved_at = :now FROM usage_alert_rule r "
                        + "WHERE a.rule_id = r.rule_id AND NOT r.enabled AND a.resolved_at IS NULL",
                new MapSqlParameterSource("now", Timestamp.from(now)));
    }

    /** Records the acknowledgement unless there is one already; answers whether it did. */
    boolean acknowledge(String tenantId, UUID alertId, String by, Instant now) {
        return jdbc.update("UPDATE usage_alert SET acknowledged_at = :now, acknowledged_by = :by "
                        + "WHERE alert_id = :id AND tenant_id = :tenant AND acknowledged_at IS NULL",
                new MapSqlParameterSource("id", alertId).addValue("tenant", tenantId).addValue("by", by)
                        .addValue("now", Timestamp.from(now))) > 0;
    }

    Optional<Alert> find(String tenantId, UUID alertId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM usage_alert WHERE alert_id = :id AND tenant_id = :tenant",
                new MapSqlParameterSource("id", alertId).addValue("tenant", tenantId), ALERT).stream().findFirst();
    }

    /**
     * The tenant's alerts, newest first.
     *
     * @param open {@code true} for the open ones, {@code false} for the resolved ones, {@code null} for all
     */
    List<Alert> list(String tenantId, @Nullable Boolean open, @Nullable UUID ruleId, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM usage_alert WHERE tenant_id = :tenant "
                        + "AND (CAST(:open AS BOOLEAN) IS NULL OR (resolved_at IS NULL) = :open) "
                        + "AND (CAST(:rule AS TEXT) IS NULL OR rule_id = CAST(:rule AS UUID)) "
                        + "ORDER BY triggered_at DESC, alert_id LIMIT :limit",
                new MapSqlParameterSource("tenant", tenantId).addValue("open", open, Types.BOOLEAN)
                        .addValue("rule", ruleId == null ? null : ruleId.toString(), Types.VARCHAR)
                        .addValue("limit", limit), ALERT);
    }

    private static final RowMapper<Alert> ALERT = (rs, row) -> new Alert(rs.getObject("alert_id", UUID.class),
            rs.getString("tenant_id"), rs.getObject("rule_id", UUID.class), rs.getObject("key_id", UUID.class),
            rs.getString("alert_type"), AlertSeverity.fromApiName(rs.getString("severity")), rs.getString("message"),
            rs.getBigDecimal("observed_value"), rs.getTimestamp("triggered_at").toInstant(),
            instant(rs.getTimestamp("resolved_at")), instant(rs.getTimestamp("acknowledged_at")),
            rs.getString("acknowledged_by"));

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
