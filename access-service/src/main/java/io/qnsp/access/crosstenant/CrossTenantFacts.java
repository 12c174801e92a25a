package io.qnsp.access.crosstenant;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the store says across tenants: the tenants known, the principals and where each was first seen (its home
 * tenant), the decision log's figures. Only the cross-tenant analysis, reserved to the platform operator, reads it.
 * An empty tenant list means every tenant.
 */
@Repository
class CrossTenantFacts {

    /** Where each principal id was seen first: in a decision of a tenant, or as a JIT requester. */
    private static final String HOMES = "WITH seen AS ("
            + "SELECT principal_id, tenant_id, min(decided_at) AS first_seen FROM access_decision "
            + "GROUP BY principal_id, tenant_id "
            + "UNION ALL SELECT requester_id, tenant_id, min(requested_at) FROM jit_request "
            + "GROUP BY requester_id, tenant_id), "
            + "home AS (SELECT DISTINCT ON (principal_id) principal_id, tenant_id FROM seen "
            + "ORDER BY principal_id, first_seen, tenant_id) ";

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;

    CrossTenantFacts(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Every tenant the service holds anything of, in order. */
    List<String> tenants(List<String> only) {
        return jdbc.queryForList("SELECT tenant_id FROM (SELECT tenant_id FROM access_policy "
                + "UNION SELECT tenant_id FROM access_decision UNION SELECT tenant_id FROM jit_request "
                + "UNION SELECT tenant_id FROM jit_policy) t" + where(only, "tenant_id") + " ORDER BY tenant_id",
                scope(only), String.class);
    }

    /** The home tenant of each principal id seen anywhere. */
    Map<String, String> homes() {
        Map<String, String> homes = new HashMap<>();
        jdbc.query(HOMES + "SELECT principal_id, tenant_id FROM home", new MapSqlParameterSource(),
                row -> {
                    homes.put(row.getString("principal_id"), row.getString("tenant_id"));
                });
        return homes;
    }

    /** The principal ids (of type user) each tenant's decision log or JIT requests name. */
    Map<String, Set<String>> users(List<String> only) {
        Map<String, Set<String>> users = new HashMap<>();
        jdbc.query("SELECT tenant_id, principal_id FROM access_decision WHERE principal_type = 'user'"
                + and(only, "tenant_id") + " UNION SELECT tenant_id, requester_id FROM jit_request"
                + where(only, "tenant_id"), scope(only), row -> {
            users.computeIfAbsent(row.getString(1), t -> new LinkedHashSet<>()).add(row.getString(2));
        });
        return users;
    }

    /** The groups each tenant's decision log names. */
    Map<String, Set<String>> loggedGroups(List<String> only) {
        Map<String, Set<String>> groups = new HashMap<>();
        jdbc.query("SELECT DISTINCT tenant_id, jsonb_array_elements_text(principal_groups) AS name "
                + "FROM access_decision" + where(only, "tenant_id"), scope(only), row -> {
            groups.computeIfAbsent(row.getString("tenant_id"), t -> new LinkedHashSet<>()).add(row.getString("name"));
        });
        return groups;
    }

    /** Allowed decisions of a tenant (target) for principals whose home is another tenant (source). */
    record CrossAccess(String sourceTenant, String targetTenant, long count) {
    }

    List<CrossAccess> crossAccess(List<String> only, @Nullable Instant since) {
        return jdbc.query(HOMES + "SELECT h.tenant_id AS source, d.tenant_id AS target, count(*) AS n "
                        + "FROM access_decision d JOIN home h ON h.principal_id = d.principal_id "
                        + "WHERE d.decision = 'allow' AND h.tenant_id <> d.tenant_id "
                        + "AND (CAST(:since AS timestamptz) IS NULL OR d.decided_at >= :since) "
                        + (only.isEmpty() ? "" : "AND (h.tenant_id IN (:tenants) OR d.tenant_id IN (:tenants)) ")
                        + "GROUP BY h.tenant_id, d.tenant_id ORDER BY n DESC, source, target",
                scope(only).addValue("since", since == null ? null : Timestamp.from(since), java.sql.Types.TIMESTAMP),
                (rs, n) -> new CrossAccess(rs.getString("source"), rs.getString("target"), rs.getLong("n")));
    }

    /** The cross-tenant decisions themselves: which principal of which home reached which resource, how often. */
    record CrossDecision(String homeTenant, String tenantId, String principal, String resource, long count,
                         Instant last) {
    }

    List<CrossDecision> crossDecisions(List<String> only, Instant since) {
        return jdbc.query(HOMES + "SELECT h.tenant_id AS home, d.tenant_id, d.principal_type || ':' || d.principal_id "
                        + "AS principal, d.resource_type || ':' || d.resource_id AS resource, count(*) AS n, "
                        + "max(d.decided_at) AS last FROM access_decision d JOIN home h ON h.principal_id = d.principal_id "
                        + "WHERE d.decision = 'allow' AND h.tenant_id <> d.tenant_id AND d.decided_at >= :since"
                        + and(only, "d.tenant_id") + " GROUP BY h.tenant_id, d.tenant_id, principal, resource "
                        + "ORDER BY d.tenant_id, principal, resource",
                scope(only).addValue("since", Timestamp.from(since)),
                (rs, n) -> new CrossDecision(rs.getString("home"), rs.getString("tenant_id"), rs.getString("principal"),
                        rs.getString("resource"), rs.getLong("n"), rs.getTimestamp("last").toInstant()));
    }

    /** Per tenant and principal: decisions and denials since the moment given, with the resources denied. */
    record Denials(String tenantId, String principal, long decisions, long denied, List<String> resources,
                   Instant lastDenied) {
    }

    List<Denials> denials(List<String> only, Instant since) {
        return jdbc.query("SELECT tenant_id, principal_type || ':' || principal_id AS principal, count(*) AS n, "
                        + "count(*) FILTER (WHERE decision = 'deny') AS denied, "
                        + "array_agg(DISTINCT resource_type || ':' || resource_id) FILTER (WHERE decision = 'deny') "
                        + "AS resources, max(decided_at) FILTER (WHERE decision = 'deny') AS last_denied "
                        + "FROM access_decision WHERE decided_at >= :since" + and(only, "tenant_id")
                        + " GROUP BY tenant_id, principal HAVING count(*) FILTER (WHERE decision = 'deny') > 0 "
                        + "ORDER BY tenant_id, principal",
                scope(only).addValue("since", Timestamp.from(since)),
                (rs, n) -> new Denials(rs.getString("tenant_id"), rs.getString("principal"), rs.getLong("n"),
                        rs.getLong("denied"), first10((String[]) rs.getArray("resources").getArray()),
                        rs.getTimestamp("last_denied").toInstant()));
    }

    /** The resources (type:id) each tenant's decision log names. */
    Map<String, Set<String>> loggedResources() {
        Map<String, Set<String>> resources = new HashMap<>();
        jdbc.query("SELECT DISTINCT resource_type || ':' || resource_id AS resource, tenant_id FROM access_decision",
                row -> {
                    resources.computeIfAbsent(row.getString("resource"), r -> new LinkedHashSet<>())
                            .add(row.getString("tenant_id"));
                });
        return resources;
    }

    /** Where each principal was seen, with how many decisions: the membership edges of the graph. */
    record Membership(String principal, String principalType, String tenantId, long decisions) {
    }

    List<Membership> memberships(List<String> only) {
        return jdbc.query("SELECT principal_id, principal_type, tenant_id, count(*) AS n FROM access_decision"
                        + where(only, "tenant_id") + " GROUP BY principal_id, principal_type, tenant_id "
                        + "ORDER BY n DESC, principal_id, tenant_id",
                scope(only), (rs, n) -> new Membership(rs.getString("principal_id"), rs.getString("principal_type"),
                        rs.getString("tenant_id"), rs.getLong("n")));
    }

    /** Allowed decisions by principal and resource: the access edges of the graph, heaviest first. */
    record Access(String principal, String tenantId, String resourceType, String resourceId, long allowed) {
    }

    List<Access> accesses(List<String> only, int limit) {
        return jdbc.query("SELECT principal_id, tenant_id, resource_type, resource_id, count(*) AS n "
                        + "FROM access_decision WHERE decision = 'allow'" + and(only, "tenant_id")
                        + " GROUP BY principal_id, tenant_id, resource_type, resource_id "
                        + "ORDER BY n DESC, principal_id, tenant_id, resource_type, resource_id LIMIT :limit",
                scope(only).addValue("limit", limit), (rs, n) -> new Access(rs.getString("principal_id"),
                        rs.getString("tenant_id"), rs.getString("resource_type"), rs.getString("resource_id"),
                        rs.getLong("n")));
    }

    /** JIT grants whose request is of another tenant or another principal: broken integrity. */
    List<String> foreignGrants(List<String> only) {
        return jdbc.queryForList("SELECT g.grant_id::text FROM jit_grant g JOIN jit_request r "
                + "ON r.request_id = g.request_id WHERE (r.tenant_id <> g.tenant_id OR r.requester_id <> g.principal_id)"
                + and(only, "g.tenant_id") + " ORDER BY 1", scope(only), String.class);
    }

    /** JIT requests approved by their own requester, tenant and request id. */
    List<String[]> selfApprovals(List<String> only) {
        return jdbc.query("SELECT tenant_id, request_id::text FROM jit_request WHERE status = 'approved' "
                        + "AND processed_by = requester_id" + and(only, "tenant_id") + " ORDER BY 1, 2",
                scope(only), (rs, n) -> new String[]{rs.getString(1), rs.getString(2)});
    }

    /** JIT grants active at the moment given whose permissions hold a wildcard. */
    record WideGrant(String tenantId, String grantId, String principal, String resource, Instant grantedAt) {
    }

    List<WideGrant> wideGrants(List<String> only, Instant since) {
        return jdbc.query("SELECT tenant_id, grant_id::text, principal_id, resource_type || ':' || resource_id AS r, "
                        + "granted_at FROM jit_grant WHERE granted_at >= :since AND permissions::text LIKE '%*%'"
                        + and(only, "tenant_id") + " ORDER BY granted_at",
                scope(only).addValue("since", Timestamp.from(since)),
                (rs, n) -> new WideGrant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant()));
    }

    void saveAudit(java.util.UUID auditId, String status, Object result, Instant at, String by) {
        jdbc.update("INSERT INTO access_isolation_audit (audit_id, status, result, audited_at, audited_by) "
                        + "VALUES (:id, :status, CAST(:result AS jsonb), :at, :by)",
                new MapSqlParameterSource("id", auditId).addValue("status", status)
                        .addValue("result", json.writeValueAsString(result)).addValue("at", Timestamp.from(at))
                        .addValue("by", by));
    }

    private static List<String> first10(String[] values) {
        return List.of(values).subList(0, Math.min(10, values.length));
    }

    private static String where(List<String> only, String column) {
        return only.isEmpty() ? "" : " WHERE " + column + " IN (:tenants)";
    }

    private static String and(List<String> only, String column) {
        return only.isEmpty() ? "" : " AND " + column + " IN (:tenants)";
    }

    private static MapSqlParameterSource scope(List<String> only) {
        return new MapSqlParameterSource("tenants", only.isEmpty() ? List.of("") : only);
    }
}
