package io.qnsp.access.jit;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stored JIT policies, always read within one tenant. */
@Repository
class JitPolicies {

    static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final String COLUMNS = "policy_id, tenant_id, name, description, resource_types, "
            + "max_duration_minutes, require_approval, approver_roles, auto_window_start, auto_window_end, "
            + "auto_max_risk_score, created_at, created_by";

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<JitPolicy> row;

    JitPolicies(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.row = (rs, n) -> {
            String start = rs.getString("auto_window_start");
            String end = rs.getString("auto_window_end");
            boolean auto = start != null || rs.getBigDecimal("auto_max_risk_score") != null;
            return new JitPolicy(rs.getObject("policy_id", UUID.class), rs.getString("tenant_id"),
                    rs.getString("name"), rs.getString("description"),
                    json.readValue(rs.getString("resource_types"), STRINGS), rs.getInt("max_duration_minutes"),
                    rs.getBoolean("require_approval"), json.readValue(rs.getString("approver_roles"), STRINGS),
                    auto ? new JitPolicy.AutoApprove(start == null ? null : LocalTime.parse(start),
                            end == null ? null : LocalTime.parse(end), rs.getBigDecimal("auto_max_risk_score")) : null,
                    rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"));
        };
    }

    /** @throws JitPolicyConflict when the name is taken or a resource type is covered by another policy */
    void insert(JitPolicy policy) {
        JitPolicy.AutoApprove auto = policy.autoApprove();
        try {
            jdbc.update("INSERT INTO jit_policy (" + COLUMNS + ") VALUES (:id, :tenant, :name, :description, "
                    + "CAST(:types AS jsonb), :max, :approval, CAST(:roles AS jsonb), :start, :end, :risk, :at, :by)",
                    new MapSqlParameterSource("id", policy.policyId()).addValue("tenant", policy.tenantId())
                            .addValue("name", policy.name()).addValue("description", policy.description(), Types.VARCHAR)
                            .addValue("types", json.writeValueAsString(policy.resourceTypes()))
                            .addValue("max", policy.maxDurationMinutes())
                            .addValue("approval", policy.requireApproval())
                            .addValue("roles", json.writeValueAsString(policy.approverRoles()))
                            .addValue("start", auto == null || auto.windowStart() == null ? null
                                    : auto.windowStart().toString(), Types.VARCHAR)
                            .addValue("end", auto == null || auto.windowEnd() == null ? null
                                    : auto.windowEnd().toString(), Types.VARCHAR)
                            .addValue("risk", auto == null ? null : auto.maxRiskScore(), Types.NUMERIC)
                            .addValue("at", Timestamp.from(policy.createdAt()))
                            .addValue("by", policy.createdBy()));
        } catch (DuplicateKeyException e) {
            throw JitPolicyConflict.nameTaken();
        }
        for (String type : policy.resourceTypes()) {
            try {
                jdbc.update("INSERT INTO jit_policy_resource_type (tenant_id, resource_type, policy_id) "
                        + "VALUES (:tenant, :type, :id)", new MapSqlParameterSource("tenant", policy.tenantId())
                        .addValue("type", type).addValue("id", policy.policyId()));
            } catch (DuplicateKeyException e) {
                throw JitPolicyConflict.resourceTypeCovered(type);
            }
        }
    }

    List<JitPolicy> all(String tenantId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM jit_policy WHERE tenant_id = :tenant "
                + "ORDER BY created_at, policy_id", new MapSqlParameterSource("tenant", tenantId), row);
    }

    Optional<JitPolicy> find(String tenantId, UUID policyId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM jit_policy WHERE tenant_id = :tenant AND policy_id = :id",
                new MapSqlParameterSource("tenant", tenantId).addValue("id", policyId), row).stream().findFirst();
    }

    /** The policy covering the resource type, if any. */
    Optional<JitPolicy> covering(String tenantId, String resourceType) {
        return jdbc.query("SELECT " + COLUMNS.replaceAll("(\\w+)", "p.$1").replace("p.p.", "p.")
                        + " FROM jit_policy p JOIN jit_policy_resource_type t ON t.policy_id = p.policy_id "
                        + "WHERE t.tenant_id = :tenant AND t.resource_type = :type",
                new MapSqlParameterSource("tenant", tenantId).addValue("type", resourceType), row).stream().findFirst();
    }

}
