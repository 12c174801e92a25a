package io.qnsp.tenant.onboarding;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tenants' onboarding workflows; reads by a caller are scoped by its tenant. */
@Repository
class Workflows {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<WorkflowStep>> STEPS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Workflows(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(Workflow workflow) {
        jdbc.sql("""
                        INSERT INTO onboarding_workflow (workflow_id, tenant_id, template_id, target_tenant_id,
                            parameters, status, steps, created_by, created_at, updated_at)
                        VALUES (:id, :tenant, :template, :target, CAST(:parameters AS jsonb), :status,
                            CAST(:steps AS jsonb), :by, :at, :at)""")
                .param("id", workflow.workflowId()).param("tenant", workflow.tenantId())
                .param("template", workflow.templateId()).param("target", workflow.targetTenantId())
                .param("parameters", json.writeValueAsString(workflow.parameters()))
                .param("status", workflow.status()).param("steps", json.writeValueAsString(workflow.steps()))
                .param("by", workflow.createdBy()).param("at", Timestamp.from(workflow.createdAt()))
                .update();
    }

    Optional<Workflow> find(String tenantId, String workflowId) {
        return jdbc.sql("SELECT * FROM onboarding_workflow WHERE tenant_id = :tenant AND workflow_id = :id")
                .param("tenant", tenantId).param("id", workflowId).query(this::workflow).optional();
    }

    /** The workflow whatever its tenant: for its own runner only. */
    Optional<Workflow> load(String workflowId) {
        return jdbc.sql("SELECT * FROM onboarding_workflow WHERE workflow_id = :id")
                .param("id", workflowId).query(this::workflow).optional();
    }

    /**
     * The workflow, its row locked until the transaction ends: every change of a workflow (an action, a step of its
     * run) reads it this way and writes it back whole, so no change is lost to a concurrent one.
     */
    Optional<Workflow> lock(String workflowId) {
        return jdbc.sql("SELECT * FROM onboarding_workflow WHERE workflow_id = :id FOR UPDATE")
                .param("id", workflowId).query(this::workflow).optional();
    }

    /** Writes status, steps and reason of a workflow locked by {@link #lock}. */
    void update(String workflowId, String status, List<WorkflowStep> steps, @Nullable String reason, Instant at) {
        jdbc.sql("UPDATE onboarding_workflow SET status = :status, steps = CAST(:steps AS jsonb), "
                        + "status_reason = :reason, updated_at = :at WHERE workflow_id = :id")
                .param("status", status).param("steps", json.writeValueAsString(steps)).param("reason", reason)
                .param("at", Timestamp.from(at)).param("id", workflowId)
                .update();
    }

    /** Whether a workflow onboarding this tenant exists already, in any state but cancelled. */
    boolean onboarding(String targetTenantId) {
        return jdbc.sql("SELECT count(*) FROM onboarding_workflow WHERE target_tenant_id = :target "
                        + "AND status <> 'cancelled'")
                .param("target", targetTenantId).query(Long.class).single() > 0;
    }

    private Workflow workflow(ResultSet rs, int row) throws SQLException {
        return new Workflow(rs.getString("workflow_id"), rs.getString("tenant_id"), rs.getString("template_id"),
                rs.getString("target_tenant_id"), json.readValue(rs.getString("parameters"), MAP),
                rs.getString("status"), json.readValue(rs.getString("steps"), STEPS), rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getString("status_reason"));
    }
}
