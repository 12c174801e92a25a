package io.qnsp.observability.anomaly;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The anomalies the rules detected, each its tenant's. */
@Repository
class Anomalies {

    private final JdbcClient jdbc;

    Anomalies(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the anomaly unless its rule already has one for that minute; answers whether it was recorded. */
    boolean insert(Anomaly anomaly) {
        return jdbc.sql("INSERT INTO anomaly (anomaly_id, tenant_id, rule_id, metric, severity, status, window_start, "
                        + "observed_value, expected_value, score, explanation, detected_at) VALUES (:id, :tenant, "
                        + ":rule, :metric, :severity, :status, :window, :observed, :expected, :score, :explanation, "
                        + ":at) ON CONFLICT (rule_id, window_start) DO NOTHING")
                .param("id", anomaly.anomalyId()).param("tenant", anomaly.tenantId()).param("rule", anomaly.ruleId())
                .param("metric", anomaly.metric()).param("severity", anomaly.severity())
                .param("status", anomaly.status()).param("window", Timestamp.from(anomaly.windowStart()))
                .param("observed", anomaly.observedValue()).param("expected", anomaly.expectedValue())
                .param("score", anomaly.score()).param("explanation", anomaly.explanation())
                .param("at", Timestamp.from(anomaly.detectedAt())).update() == 1;
    }

    /** Resolves the rule's open anomalies of minutes before the one judged normal; answers how many. */
    int resolve(UUID ruleId, Instant normalMinute, Instant at) {
        return jdbc.sql("UPDATE anomaly SET status = 'resolved', resolved_at = :at WHERE rule_id = :rule "
                        + "AND status = 'open' AND window_start < :minute")
                .param("at", Timestamp.from(at)).param("rule", ruleId)
                .param("minute", Timestamp.from(normalMinute)).update();
    }

    /** The tenant's anomalies, newest first, optionally of one status or rule. */
    List<Anomaly> ofTenant(String tenantId, @Nullable String status, @Nullable UUID ruleId, int limit) {
        return jdbc.sql("SELECT a.*, r.name AS rule_name FROM anomaly a JOIN anomaly_rule r ON r.rule_id = a.rule_id "
                        + "WHERE a.tenant_id = :tenant AND (CAST(:status AS varchar) IS NULL OR a.status = :status) "
                        + "AND (CAST(:rule AS uuid) IS NULL OR a.rule_id = :rule) "
                        + "ORDER BY a.detected_at DESC, a.window_start DESC, a.anomaly_id LIMIT :limit")
                .param("tenant", tenantId).param("status", status).param("rule", ruleId).param("limit", limit)
                .query((rs, n) -> anomaly(rs)).list();
    }

    private static Anomaly anomaly(ResultSet rs) throws SQLException {
        Timestamp resolved = rs.getTimestamp("resolved_at");
        return new Anomaly(rs.getObject("anomaly_id", UUID.class), rs.getString("tenant_id"),
                rs.getObject("rule_id", UUID.class), rs.getString("rule_name"), rs.getString("metric"),
                rs.getString("severity"), rs.getString("status"), rs.getTimestamp("window_start").toInstant(),
                rs.getDouble("observed_value"), (Double) rs.getObject("expected_value"),
                (Double) rs.getObject("score"), rs.getString("explanation"),
                rs.getTimestamp("detected_at").toInstant(), resolved == null ? null : resolved.toInstant());
    }
}
