package io.qnsp.access.jit;

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

/** The stored JIT grants, always read within one tenant. */
@Repository
class JitGrants {

    private static final String COLUMNS = "grant_id, tenant_id, request_id, principal_id, resource_type, resource_id, "
            + "permissions, granted_at, expires_at, revoked_at, revoked_by, revoke_reason";

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<JitGrant> row;

    JitGrants(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.row = (rs, n) -> new JitGrant(rs.getObject("grant_id", UUID.class), rs.getString("tenant_id"),
                rs.getObject("request_id", UUID.class), rs.getString("principal_id"), rs.getString("resource_type"),
                rs.getString("resource_id"), json.readValue(rs.getString("permissions"), JitPolicies.STRINGS),
                rs.getTimestamp("granted_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                instant(rs.getTimestamp("revoked_at")), rs.getString("revoked_by"), rs.getString("revoke_reason"));
    }

    void insert(JitGrant grant) {
        jdbc.update("INSERT INTO jit_grant (" + COLUMNS + ") VALUES (:id, :tenant, :request, :principal, :type, "
                + ":resource, CAST(:permissions AS jsonb), :grantedAt, :expiresAt, NULL, NULL, NULL)",
                new MapSqlParameterSource("id", grant.grantId()).addValue("tenant", grant.tenantId())
                        .addValue("request", grant.requestId()).addValue("principal", grant.principalId())
                        .addValue("type", grant.resourceType()).addValue("resource", grant.resourceId())
                        .addValue("permissions", json.writeValueAsString(grant.permissions()))
                        .addValue("grantedAt", Timestamp.from(grant.grantedAt()))
                        .addValue("expiresAt", Timestamp.from(grant.expiresAt())));
    }

    void revoke(JitGrant grant, Instant at, String by, @Nullable String reason) {
        jdbc.update("UPDATE jit_grant SET revoked_at = :at, revoked_by = :by, revoke_reason = :reason "
                        + "WHERE grant_id = :id AND tenant_id = :tenant",
                new MapSqlParameterSource("id", grant.grantId()).addValue("tenant", grant.tenantId())
                        .addValue("at", Timestamp.from(at)).addValue("by", by)
                        .addValue("reason", reason, Types.VARCHAR));
    }

    Optional<JitGrant> findForUpdate(String tenantId, UUID grantId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM jit_grant WHERE tenant_id = :tenant AND grant_id = :id "
                + "FOR UPDATE", new MapSqlParameterSource("tenant", tenantId).addValue("id", grantId), row)
                .stream().findFirst();
    }

    /** The tenant's grants active at the moment given, optionally of one principal, soonest expiry last. */
    List<JitGrant> active(String tenantId, @Nullable String principalId, Instant at) {
        return jdbc.query("SELECT " + COLUMNS + " FROM jit_grant WHERE tenant_id = :tenant AND revoked_at IS NULL "
                        + "AND expires_at > :at AND (CAST(:principal AS TEXT) IS NULL OR principal_id = :principal) "
                        + "ORDER BY expires_at DESC, grant_id",
                new MapSqlParameterSource("tenant", tenantId).addValue("at", Timestamp.from(at))
                        .addValue("principal", principalId, Types.VARCHAR), row);
    }

    long countActive(String tenantId, Instant at) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM jit_grant WHERE tenant_id = :tenant "
                + "AND revoked_at IS NULL AND expires_at > :at", new MapSqlParameterSource("tenant", tenantId)
                .addValue("at", Timestamp.from(at)), Long.class);
        return count == null ? 0 : count;
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
