package io.qnsp.access.policy;

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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The stored policies and their change history, always read within one tenant (but for the cross-tenant views). */
@Repository
public class Policies {

    private static final String COLUMNS = "policy_id, tenant_id, name, description, effect, principals, resources, "
            + "actions, conditions, revision, created_at, updated_at, created_by, updated_by";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<Policy> policyRow;

    Policies(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.policyRow = (rs, row) -> new Policy(rs.getObject("policy_id", UUID.class), rs.getString("tenant_id"),
                new PolicyDefinition(rs.getString("name"), rs.getString("description"),
                        Effect.fromApiName(rs.getString("effect")), json.readValue(rs.getString("principals"), STRINGS),
                        json.readValue(rs.getString("resources"), STRINGS),
                        json.readValue(rs.getString("actions"), STRINGS),
                        json.readValue(rs.getString("conditions"), OBJECT)),
                rs.getInt("revision"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), rs.getString("created_by"), rs.getString("updated_by"));
    }

    /** @throws PolicyNameTaken when the tenant has a policy of that name */
    void insert(Policy policy) {
        try {
            jdbc.update("INSERT INTO access_policy (" + COLUMNS + ") VALUES (:id, :tenant, :name, :description, "
                    + ":effect, CAST(:principals AS jsonb), CAST(:resources AS jsonb), CAST(:actions AS jsonb), "
                    + "CAST(:conditions AS jsonb), :revision, :createdAt, :updatedAt, :createdBy, :updatedBy)",
                    values(policy));
        } catch (DuplicateKeyException e) {
            throw new PolicyNameTaken();
        }
    }

    /** @throws PolicyNameTaken when another policy of the tenant has the new name */
    void update(Policy policy) {
        try {
            jdbc.update("UPDATE access_policy SET name = :name, description = :description, effect = :effect, "
                    + "principals = CAST(:principals AS jsonb), resources = CAST(:resources AS jsonb), "
                    + "actions = CAST(:actions AS jsonb), conditions = CAST(:conditions AS jsonb), "
                    + "revision = :revision, updated_at = :updatedAt, updated_by = :updatedBy "
                    + "WHERE policy_id = :id AND tenant_id = :tenant", values(policy));
        } catch (DuplicateKeyException e) {
            throw new PolicyNameTaken();
        }
    }

    void delete(Policy policy) {
        jdbc.update("DELETE FROM access_policy WHERE policy_id = :id AND tenant_id = :tenant",
                new MapSqlParameterSource("id", policy.policyId()).addValue("tenant", policy.tenantId()));
    }

    Optional<Policy> find(String tenantId, UUID policyId, boolean forUpdate) {
        return jdbc.query("SELECT " + COLUMNS + " FROM access_policy WHERE tenant_id = :tenant AND policy_id = :id"
                        + (forUpdate ? " FOR UPDATE" : ""),
                new MapSqlParameterSource("tenant", tenantId).addValue("id", policyId), policyRow).stream().findFirst();
    }

    List<Policy> page(String tenantId, int limit, int offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM access_policy WHERE tenant_id = :tenant "
                        + "ORDER BY created_at, policy_id LIMIT :limit OFFSET :offset",
                new MapSqlParameterSource("tenant", tenantId).addValue("limit", limit).addValue("offset", offset),
                policyRow);
    }

    long count(String tenantId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM access_policy WHERE tenant_id = :tenant",
                new MapSqlParameterSource("tenant", tenantId), Long.class);
        return count == null ? 0 : count;
    }

    /** Every policy of the tenant, oldest first. */
    public List<Policy> all(String tenantId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM access_policy WHERE tenant_id = :tenant "
                + "ORDER BY created_at, policy_id", new MapSqlParameterSource("tenant", tenantId), policyRow);
    }

    /** Every policy of every tenant given (of all tenants when none is given), by tenant, oldest first. */
    public List<Policy> allOf(List<String> tenantIds) {
        if (tenantIds.isEmpty()) {
            return jdbc.query("SELECT " + COLUMNS + " FROM access_policy ORDER BY tenant_id, created_at, policy_id",
                    policyRow);
        }
        return jdbc.query("SELECT " + COLUMNS + " FROM access_policy WHERE tenant_id IN (:tenants) "
                + "ORDER BY tenant_id, created_at, policy_id", new MapSqlParameterSource("tenants", tenantIds),
                policyRow);
    }

    /** A change to a policy, in the history. */
    public record Change(String tenantId, UUID policyId, String policyName, String changeType,
                         @Nullable PolicyDefinition before, @Nullable PolicyDefinition after, String changedBy,
                         Instant changedAt) {
    }

    void recordChange(Change change) {
        jdbc.update("INSERT INTO access_policy_change (tenant_id, policy_id, policy_name, change_type, before, after, "
                + "changed_by, changed_at) VALUES (:tenant, :id, :name, :type, CAST(:before AS jsonb), "
                + "CAST(:after AS jsonb), :by, :at)", new MapSqlParameterSource("tenant", change.tenantId())
                .addValue("id", change.policyId()).addValue("name", change.policyName())
                .addValue("type", change.changeType())
                .addValue("before", change.before() == null ? null : json.writeValueAsString(change.before()),
                        Types.VARCHAR)
                .addValue("after", change.after() == null ? null : json.writeValueAsString(change.after()),
                        Types.VARCHAR)
                .addValue("by", change.changedBy()).addValue("at", Timestamp.from(change.changedAt())));
    }

    /** The changes of the tenants given (all when none is given) since the moment given, oldest first. */
    public List<Change> changesSince(List<String> tenantIds, Instant since) {
        MapSqlParameterSource parameters = new MapSqlParameterSource("since", Timestamp.from(since))
                .addValue("tenants", tenantIds.isEmpty() ? List.of("") : tenantIds);
        return jdbc.query("SELECT tenant_id, policy_id, policy_name, change_type, before, after, changed_by, "
                + "changed_at FROM access_policy_change WHERE changed_at >= :since "
                + (tenantIds.isEmpty() ? "" : "AND tenant_id IN (:tenants) ") + "ORDER BY changed_at, id",
                parameters, (rs, row) -> new Change(rs.getString("tenant_id"), rs.getObject("policy_id", UUID.class),
                        rs.getString("policy_name"), rs.getString("change_type"), definition(rs.getString("before")),
                        definition(rs.getString("after")), rs.getString("changed_by"),
                        rs.getTimestamp("changed_at").toInstant()));
    }

    private @Nullable PolicyDefinition definition(@Nullable String text) {
        return text == null ? null : json.readValue(text, PolicyDefinition.class);
    }

    private MapSqlParameterSource values(Policy policy) {
        PolicyDefinition definition = policy.definition();
        return new MapSqlParameterSource().addValue("id", policy.policyId()).addValue("tenant", policy.tenantId())
                .addValue("name", definition.name())
                .addValue("description", definition.description(), Types.VARCHAR)
                .addValue("effect", definition.effect().apiName())
                .addValue("principals", json.writeValueAsString(definition.principals()))
                .addValue("resources", json.writeValueAsString(definition.resources()))
                .addValue("actions", json.writeValueAsString(definition.actions()))
                .addValue("conditions", json.writeValueAsString(definition.conditions()))
                .addValue("revision", policy.revision())
                .addValue("createdAt", Timestamp.from(policy.createdAt()))
                .addValue("updatedAt", Timestamp.from(policy.updatedAt()))
                .addValue("createdBy", policy.createdBy()).addValue("updatedBy", policy.updatedBy());
    }

}
