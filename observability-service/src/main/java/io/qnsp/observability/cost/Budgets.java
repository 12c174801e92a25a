package io.qnsp.observability.cost;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The budgets, each its tenant's, and the alerts they raised. */
@Repository
class Budgets {

    private static final TypeReference<List<Budget.Alert>> ALERTS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Budgets(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    boolean nameTaken(String tenantId, String name) {
        return jdbc.sql("SELECT count(*) FROM budget WHERE tenant_id = :tenant AND name = :name")
                .param("tenant", tenantId).param("name", name).query(Long.class).single() > 0;
    }

    void insert(Budget budget) {
        jdbc.sql("INSERT INTO budget (budget_id, tenant_id, name, amount, currency, period, cost_centers, "
                        + "resource_types, alerts, created_by, created_at) VALUES (:id, :tenant, :name, :amount, "
                        + ":currency, :period, :centers, :types, CAST(:alerts AS jsonb), :by, :at)")
                .param("id", budget.budgetId()).param("tenant", budget.tenantId()).param("name", budget.name())
                .param("amount", budget.amount()).param("currency", budget.currency())
                .param("period", budget.period().label())
                .param("centers", budget.costCenters().toArray(String[]::new))
                .param("types", budget.resourceTypes().toArray(String[]::new))
                .param("alerts", json.writeValueAsString(budget.alerts())).param("by", budget.createdBy())
                .param("at", Timestamp.from(budget.createdAt())).update();
    }

    /**
     * The tenant's budgets, locked until the transaction ends: allocations of one tenant recorded at the same time
     * then see each other's amounts when they check the budgets, so a crossing is never missed.
     */
    List<Budget> ofTenantLocked(String tenantId) {
        return jdbc.sql("SELECT * FROM budget WHERE tenant_id = :tenant ORDER BY created_at, budget_id FOR UPDATE")
                .param("tenant", tenantId).query((rs, n) -> budget(rs)).list();
    }

    /** Records the alert unless the budget has one for that threshold and period; answers whether it did. */
    boolean insertAlert(BudgetAlert alert) {
        return jdbc.sql("INSERT INTO budget_alert (alert_id, tenant_id, budget_id, threshold, period_start, "
                        + "period_end, spent, budget_amount, breached_at) VALUES (:id, :tenant, :budget, :threshold, "
                        + ":start, :end, :spent, :amount, :at) ON CONFLICT (budget_id, threshold, period_start) "
                        + "DO NOTHING")
                .param("id", alert.alertId()).param("tenant", alert.tenantId()).param("budget", alert.budgetId())
                .param("threshold", alert.threshold()).param("start", Timestamp.from(alert.periodStart()))
                .param("end", Timestamp.from(alert.periodEnd())).param("spent", alert.spent())
                .param("amount", alert.budgetAmount()).param("at", Timestamp.from(alert.breachedAt()))
                .update() == 1;
    }

    /** The tenant's alerts of periods overlapping the span, newest first. */
    List<BudgetAlert> alertsOverlapping(String tenantId, BudgetPeriod.Span span) {
        return jdbc.sql("SELECT a.*, b.name AS budget_name FROM budget_alert a JOIN budget b "
                        + "ON b.budget_id = a.budget_id WHERE a.tenant_id = :tenant AND a.period_end > :from "
                        + "AND a.period_start < :to ORDER BY a.breached_at DESC, a.threshold DESC")
                .param("tenant", tenantId).param("from", Timestamp.from(span.start()))
                .param("to", Timestamp.from(span.end()))
                .query((rs, n) -> new BudgetAlert(rs.getObject("alert_id", UUID.class), rs.getString("tenant_id"),
                        rs.getObject("budget_id", UUID.class), rs.getString("budget_name"),
                        rs.getBigDecimal("threshold").stripTrailingZeros(),
                        rs.getTimestamp("period_start").toInstant(), rs.getTimestamp("period_end").toInstant(),
                        rs.getBigDecimal("spent").stripTrailingZeros(),
                        rs.getBigDecimal("budget_amount").stripTrailingZeros(),
                        rs.getTimestamp("breached_at").toInstant())).list();
    }

    private Budget budget(ResultSet rs) throws SQLException {
        return new Budget(rs.getObject("budget_id", UUID.class), rs.getString("tenant_id"), rs.getString("name"),
                rs.getBigDecimal("amount").stripTrailingZeros(), rs.getString("currency"),
                BudgetPeriod.named(rs.getString("period")).orElseThrow(),
                Arrays.asList((String[]) rs.getArray("cost_centers").getArray()),
                Arrays.asList((String[]) rs.getArray("resource_types").getArray()),
                json.readValue(rs.getString("alerts"), ALERTS), rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant());
    }
}
