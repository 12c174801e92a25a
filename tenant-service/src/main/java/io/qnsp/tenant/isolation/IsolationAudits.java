package io.qnsp.tenant.isolation;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tenants' isolation audits; every read is scoped by tenant. */
@Repository
public class IsolationAudits {

    private static final TypeReference<Map<String, String>> BY_CATEGORY = new TypeReference<>() {
    };
    private static final TypeReference<List<IsolationCheck>> CHECKS = new TypeReference<>() {
    };

    /** An audit as stored. */
    public record Audit(String auditId, String tenantId, List<String> scope, String depth, String status,
                        Instant startedAt, @Nullable Instant completedAt, @Nullable Map<String, String> byCategory,
                        List<IsolationCheck> checks) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;

    IsolationAudits(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(String auditId, String tenantId, List<String> scope, String depth, Instant startedAt) {
        jdbc.sql("INSERT INTO isolation_audit (audit_id, tenant_id, scope, depth, status, started_at) "
                        + "VALUES (:id, :tenant, :scope, :depth, 'running', :at)")
                .param("id", auditId).param("tenant", tenantId).param("scope", scope.toArray(String[]::new))
                .param("depth", depth).param("at", Timestamp.from(startedAt)).update();
    }

    void complete(String auditId, String status, Map<String, String> byCategory, List<IsolationCheck> checks,
                  Instant at) {
        jdbc.sql("UPDATE isolation_audit SET status = :status, by_category = CAST(:categories AS jsonb), "
                        + "checks = CAST(:checks AS jsonb), completed_at = :at WHERE audit_id = :id")
                .param("status", status).param("categories", json.writeValueAsString(byCategory))
                .param("checks", json.writeValueAsString(checks)).param("at", Timestamp.from(at))
                .param("id", auditId).update();
    }

    public Optional<Audit> find(String tenantId, String auditId) {
        return jdbc.sql("SELECT * FROM isolation_audit WHERE tenant_id = :tenant AND audit_id = :id")
                .param("tenant", tenantId).param("id", auditId).query(this::audit).optional();
    }

    /** The tenant's latest completed audit. */
    public Optional<Audit> latestCompleted(String tenantId) {
        return jdbc.sql("SELECT * FROM isolation_audit WHERE tenant_id = :tenant AND status = 'completed' "
                        + "ORDER BY completed_at DESC, audit_id DESC LIMIT 1")
                .param("tenant", tenantId).query(this::audit).optional();
    }

    /** Up to {@code limit} audit ids of tenants other than this one. */
    List<String> idsOfOtherTenants(String tenantId, int limit) {
        return jdbc.sql("SELECT audit_id FROM isolation_audit WHERE tenant_id <> :tenant ORDER BY started_at DESC "
                        + "LIMIT :limit")
                .param("tenant", tenantId).param("limit", limit).query(String.class).list();
    }

    private Audit audit(ResultSet rs, int row) throws SQLException {
        String categories = rs.getString("by_category");
        Timestamp completed = rs.getTimestamp("completed_at");
        return new Audit(rs.getString("audit_id"), rs.getString("tenant_id"),
                Arrays.asList((String[]) rs.getArray("scope").getArray()), rs.getString("depth"),
                rs.getString("status"), rs.getTimestamp("started_at").toInstant(),
                completed == null ? null : completed.toInstant(),
                categories == null ? null : json.readValue(categories, BY_CATEGORY),
                json.readValue(rs.getString("checks"), CHECKS));
    }
}
