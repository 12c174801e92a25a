package io.qnsp.cryptoinventory.deprecation;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.util.List;

/** The stored deprecation policies, always read within one tenant. */
@Repository
class DeprecationPolicies {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<DeprecationPolicy> policy;

    DeprecationPolicies(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.policy = (rs, row) -> new DeprecationPolicy(rs.getObject("policy_id", java.util.UUID.class),
                rs.getString("tenant_id"), rs.getString("name"), json.readValue(rs.getString("algorithms"), STRINGS),
                rs.getTimestamp("deprecation_date").toInstant(), rs.getTimestamp("enforcement_date").toInstant(),
                rs.getString("migration_target"), json.readValue(rs.getString("notification_schedule"), STRINGS),
                rs.getTimestamp("created_at").toInstant());
    }

    /** Inserts the policy; false when the tenant already has a policy of that name. */
    boolean insert(DeprecationPolicy p) {
        return jdbc.update("INSERT INTO deprecation_policy (policy_id, tenant_id, name, algorithms, deprecation_date, "
                + "enforcement_date, migration_target, notification_schedule, created_at) VALUES (:id, :tenant, :name, "
                + "CAST(:algorithms AS JSONB), :deprecation, :enforcement, :target, CAST(:schedule AS JSONB), :created) "
                + "ON CONFLICT ON CONSTRAINT deprecation_policy_name_unique DO NOTHING",
                new MapSqlParameterSource("id", p.policyId()).addValue("tenant", p.tenantId())
                        .addValue("name", p.name()).addValue("algorithms", json.writeValueAsString(p.algorithms()))
                        .addValue("deprecation", Timestamp.from(p.deprecationDate()))
                        .addValue("enforcement", Timestamp.from(p.enforcementDate()))
                        .addValue("target", p.migrationTarget())
                        .addValue("schedule", json.writeValueAsString(p.notificationSchedule()))
                        .addValue("created", Timestamp.from(p.createdAt()))) == 1;
    }

    /** The tenant's policies, oldest first. */
    List<DeprecationPolicy> of(String tenantId) {
        return jdbc.query("SELECT * FROM deprecation_policy WHERE tenant_id = :tenant ORDER BY created_at, policy_id",
                new MapSqlParameterSource("tenant", tenantId), policy);
    }
}
