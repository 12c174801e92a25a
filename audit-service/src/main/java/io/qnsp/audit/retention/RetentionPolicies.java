package io.qnsp.audit.retention;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stored retention policies, always read and changed within one owner. */
@Repository
class RetentionPolicies {

    private static final String COLUMNS = "policy_id, tenant_id, name, retention_period, event_types, services, "
            + "archive_enabled, archive_destination, created_at";

    // IS NOT DISTINCT FROM: the platform operator's policies are those without a tenant.
    private static final String OWNED = "tenant_id IS NOT DISTINCT FROM :tenant";

    private final NamedParameterJdbcTemplate jdbc;

    RetentionPolicies(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(RetentionPolicy policy) {
        PolicyDefinition d = policy.definition();
        jdbc.update("INSERT INTO retention_policy (" + COLUMNS + ") VALUES (:id, :tenant, :name, :period, "
                        + ":eventTypes, :services, :archiveEnabled, :destination, :createdAt)",
                owner(policy.owner()).addValue("id", policy.policyId()).addValue("name", d.name())
                        .addValue("period", d.retentionPeriod().text())
                        .addValue("eventTypes", d.scope().eventTypes().toArray(String[]::new))
                        .addValue("services", d.scope().services().toArray(String[]::new))
                        .addValue("archiveEnabled", d.archiveConfig().enabled())
                        .addValue("destination", d.archiveConfig().destination())
                        .addValue("createdAt", Timestamp.from(policy.createdAt())));
    }

    long count(RetentionOwner owner) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM retention_policy WHERE " + OWNED, owner(owner),
                Long.class);
        return count == null ? 0 : count;
    }

    boolean nameTaken(RetentionOwner owner, String name) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM retention_policy WHERE "
                + OWNED + " AND lower(name) = lower(:name))", owner(owner).addValue("name", name), Boolean.class));
    }

    /** Oldest first. */
    List<RetentionPolicy> list(RetentionOwner owner) {
        return jdbc.query("SELECT " + COLUMNS + " FROM retention_policy WHERE " + OWNED
                + " ORDER BY created_at, policy_id", owner(owner), POLICY);
    }

    Optional<RetentionPolicy> find(RetentionOwner owner, UUID policyId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM retention_policy WHERE " + OWNED + " AND policy_id = :id",
                owner(owner).addValue("id", policyId), POLICY).stream().findFirst();
    }

    boolean delete(RetentionOwner owner, UUID policyId) {
        return jdbc.update("DELETE FROM retention_policy WHERE " + OWNED + " AND policy_id = :id",
                owner(owner).addValue("id", policyId)) > 0;
    }

    private static MapSqlParameterSource owner(RetentionOwner owner) {
        return new MapSqlParameterSource().addValue("tenant", owner.tenantId(), java.sql.Types.VARCHAR);
    }

    private static final RowMapper<RetentionPolicy> POLICY = (rs, row) -> new RetentionPolicy(
            rs.getObject("policy_id", UUID.class), new RetentionOwner(rs.getString("tenant_id")),
            new PolicyDefinition(rs.getString("name"), RetentionPeriod.parse(rs.getString("retention_period")),
                    new PolicyScope(strings(rs.getArray("event_types")), strings(rs.getArray("services"))),
                    new ArchiveConfig(rs.getBoolean("archive_enabled"), rs.getString("archive_destination"))),
            rs.getTimestamp("created_at").toInstant());

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
