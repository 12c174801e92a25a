package io.qnsp.observability.anomaly;

import io.qnsp.observability.metrics.Metric;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The anomaly-detection rules, each its tenant's. */
@Repository
class AnomalyRules {

    private static final TypeReference<Map<String, Object>> PARAMETERS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AnomalyRules(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    boolean nameTaken(String tenantId, String name) {
        return jdbc.sql("SELECT count(*) FROM anomaly_rule WHERE tenant_id = :tenant AND name = :name")
                .param("tenant", tenantId).param("name", name).query(Long.class).single() > 0;
    }

    void insert(AnomalyRule rule) {
        jdbc.sql("INSERT INTO anomaly_rule (rule_id, tenant_id, name, metric, condition_type, parameters, sensitivity, "
                        + "notification_channels, created_by, created_at) VALUES (:id, :tenant, :name, :metric, :type, "
                        + "CAST(:parameters AS jsonb), :sensitivity, :channels, :by, :at)")
                .param("id", rule.ruleId()).param("tenant", rule.tenantId()).param("name", rule.name())
                .param("metric", rule.metric().metricName()).param("type", rule.condition().type())
                .param("parameters", json.writeValueAsString(rule.condition().parameters()))
                .param("sensitivity", rule.sensitivity().label)
                .param("channels", rule.notificationChannels().toArray(String[]::new))
                .param("by", rule.createdBy()).param("at", Timestamp.from(rule.createdAt())).update();
    }

    /** Every tenant's rules, grouped by tenant, oldest first within one. */
    List<AnomalyRule> all() {
        return jdbc.sql("SELECT * FROM anomaly_rule ORDER BY tenant_id, created_at, rule_id")
                .query((rs, n) -> rule(rs)).list();
    }

    private AnomalyRule rule(ResultSet rs) throws SQLException {
        Map<String, Object> parameters = json.readValue(rs.getString("parameters"), PARAMETERS);
        return new AnomalyRule(rs.getObject("rule_id", UUID.class), rs.getString("tenant_id"), rs.getString("name"),
                Metric.named(rs.getString("metric")).orElseThrow(),
                Condition.stored(rs.getString("condition_type"), parameters),
                Sensitivity.named(rs.getString("sensitivity")).orElseThrow(),
                Arrays.asList((String[]) rs.getArray("notification_channels").getArray()),
                rs.getString("created_by"), rs.getTimestamp("created_at").toInstant());
    }
}
