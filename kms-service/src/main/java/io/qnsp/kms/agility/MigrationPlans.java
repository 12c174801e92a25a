package io.qnsp.kms.agility;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stored migration plans, always read within one tenant, with the log of their status changes. */
@Repository
class MigrationPlans {

    private static final String COLUMNS = "plan_id, tenant_id, name, description, status, target_encryption, "
            + "target_signing, target_key_exchange, scope, schedule, created_at, updated_at";

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<MigrationPlan> plan;

    MigrationPlans(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.plan = (rs, row) -> new MigrationPlan(rs.getObject("plan_id", UUID.class), rs.getString("tenant_id"),
                rs.getString("name"), rs.getString("description"), PlanStatus.fromApiName(rs.getString("status")),
                new MigrationPlan.PlanTargets(rs.getString("target_encryption"), rs.getString("target_signing"),
                        rs.getString("target_key_exchange")),
                json.readValue(rs.getString("scope"), MigrationPlan.PlanScope.class),
                rs.getString("schedule") == null ? null
                        : json.readValue(rs.getString("schedule"), MigrationPlan.PlanSchedule.class),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    void insert(MigrationPlan plan) {
        jdbc.update("INSERT INTO migration_plan (" + COLUMNS + ") VALUES (:id, :tenant, :name, :description, :status, "
                + ":encryption, :signing, :keyExchange, CAST(:scope AS JSONB), CAST(:schedule AS JSONB), :createdAt, "
                + ":updatedAt)", values(plan));
    }

    void update(MigrationPlan plan) {
        jdbc.update("UPDATE migration_plan SET name = :name, description = :description, status = :status, "
                + "schedule = CAST(:schedule AS JSONB), updated_at = :updatedAt "
                + "WHERE plan_id = :id AND tenant_id = :tenant", values(plan));
    }

    void recordTransition(UUID planId, PlanStatus from, PlanStatus to, Instant at) {
        jdbc.update("INSERT INTO migration_plan_transition (plan_id, from_status, to_status, changed_at) "
                + "VALUES (:id, :from, :to, :at)", new MapSqlParameterSource("id", planId)
                .addValue("from", from.apiName()).addValue("to", to.apiName()).addValue("at", Timestamp.from(at)));
    }

    Optional<MigrationPlan> find(String tenantId, UUID planId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM migration_plan WHERE tenant_id = :tenant AND plan_id = :id",
                new MapSqlParameterSource("tenant", tenantId).addValue("id", planId), plan).stream().findFirst();
    }

    Optional<MigrationPlan> findForUpdate(String tenantId, UUID planId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM migration_plan WHERE tenant_id = :tenant AND plan_id = :id "
                + "FOR UPDATE", new MapSqlParameterSource("tenant", tenantId).addValue("id", planId), plan)
                .stream().findFirst();
    }

    /** The tenant's plans, newest first. */
    List<MigrationPlan> all(String tenantId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM migration_plan WHERE tenant_id = :tenant "
                + "ORDER BY created_at DESC, plan_id", new MapSqlParameterSource("tenant", tenantId), plan);
    }

    private MapSqlParameterSource values(MigrationPlan plan) {
        return new MapSqlParameterSource().addValue("id", plan.planId()).addValue("tenant", plan.tenantId())
                .addValue("name", plan.name()).addValue("description", plan.description(), Types.VARCHAR)
                .addValue("status", plan.status().apiName())
                .addValue("encryption", plan.targetAlgorithms().encryption(), Types.VARCHAR)
                .addValue("signing", plan.targetAlgorithms().signing(), Types.VARCHAR)
                .addValue("keyExchange", plan.targetAlgorithms().keyExchange(), Types.VARCHAR)
                .addValue("scope", json.writeValueAsString(plan.scope()))
                .addValue("schedule", toJson(plan.schedule()), Types.VARCHAR)
                .addValue("createdAt", Timestamp.from(plan.createdAt()))
                .addValue("updatedAt", Timestamp.from(plan.updatedAt()));
    }

    private @Nullable String toJson(@Nullable Object value) {
        return value == null ? null : json.writeValueAsString(value);
    }
}
