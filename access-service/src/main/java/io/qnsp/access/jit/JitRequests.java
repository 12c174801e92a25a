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

/** The stored JIT requests, always read within one tenant. */
@Repository
class JitRequests {

    private static final String COLUMNS = "request_id, tenant_id, policy_id, requester_id, resource_type, resource_id, "
            + "permissions, justification, duration_minutes, ticket_reference, risk_score, status, approvers, "
            + "requested_at, processed_at, processed_by, process_reason, auto_approved, grant_id";

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<JitRequest> row;

    JitRequests(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.row = (rs, n) -> new JitRequest(rs.getObject("request_id", UUID.class), rs.getString("tenant_id"),
                rs.getObject("policy_id", UUID.class), rs.getString("requester_id"), rs.getString("resource_type"),
                rs.getString("resource_id"), json.readValue(rs.getString("permissions"), JitPolicies.STRINGS),
                rs.getString("justification"), rs.getInt("duration_minutes"), rs.getString("ticket_reference"),
                rs.getBigDecimal("risk_score"), rs.getString("status"),
                json.readValue(rs.getString("approvers"), JitPolicies.STRINGS),
                rs.getTimestamp("requested_at").toInstant(), instant(rs.getTimestamp("processed_at")),
                rs.getString("processed_by"), rs.getString("process_reason"), rs.getBoolean("auto_approved"),
                rs.getObject("grant_id", UUID.class));
    }

    void insert(JitRequest request) {
        jdbc.update("INSERT INTO jit_request (" + COLUMNS + ") VALUES (:id, :tenant, :policy, :requester, :type, "
                + ":resource, CAST(:permissions AS jsonb), :justification, :duration, :ticket, :risk, :status, "
                + "CAST(:approvers AS jsonb), :requestedAt, :processedAt, :processedBy, :reason, :auto, :grant)",
                values(request));
    }

    void update(JitRequest request) {
        jdbc.update("UPDATE jit_request SET status = :status, processed_at = :processedAt, "
                + "processed_by = :processedBy, process_reason = :reason, grant_id = :grant "
                + "WHERE request_id = :id AND tenant_id = :tenant", values(request));
    }

    Optional<JitRequest> findForUpdate(String tenantId, UUID requestId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM jit_request WHERE tenant_id = :tenant AND request_id = :id "
                        + "FOR UPDATE", new MapSqlParameterSource("tenant", tenantId).addValue("id", requestId), row)
                .stream().findFirst();
    }

    List<JitRequest> page(String tenantId, @Nullable String status, @Nullable String requesterId, int limit,
                          int offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM jit_request WHERE tenant_id = :tenant" + filter()
                        + " ORDER BY requested_at DESC, request_id LIMIT :limit OFFSET :offset",
                filter(tenantId, status, requesterId).addValue("limit", limit).addValue("offset", offset), row);
    }

    long count(String tenantId, @Nullable String status, @Nullable String requesterId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM jit_request WHERE tenant_id = :tenant" + filter(),
                filter(tenantId, status, requesterId), Long.class);
        return count == null ? 0 : count;
    }

    /** The figures of the statistics, over the requests made since the moment given. */
    record Figures(long total, long approved, long denied, long pending, double averageApprovalSeconds) {
    }

    Figures figures(String tenantId, Instant since) {
        return jdbc.queryForObject("SELECT count(*) AS total, "
                        + "count(*) FILTER (WHERE status = 'approved') AS approved, "
                        + "count(*) FILTER (WHERE status = 'denied') AS denied, "
                        + "count(*) FILTER (WHERE status = 'pending') AS pending, "
                        + "coalesce(avg(EXTRACT(EPOCH FROM processed_at - requested_at)) "
                        + "FILTER (WHERE status = 'approved' AND NOT auto_approved), 0) AS average "
                        + "FROM jit_request WHERE tenant_id = :tenant AND requested_at >= :since",
                new MapSqlParameterSource("tenant", tenantId).addValue("since", Timestamp.from(since)),
                (rs, n) -> new Figures(rs.getLong("total"), rs.getLong("approved"), rs.getLong("denied"),
                        rs.getLong("pending"), rs.getDouble("average")));
    }

    /** Requests per resource type since the moment given, most requested first. */
    List<JitManagement.TypeCount> topResourceTypes(String tenantId, Instant since, int limit) {
        return jdbc.query("SELECT resource_type, count(*) AS n FROM jit_request WHERE tenant_id = :tenant "
                        + "AND requested_at >= :since GROUP BY resource_type ORDER BY n DESC, resource_type LIMIT :limit",
                new MapSqlParameterSource("tenant", tenantId).addValue("since", Timestamp.from(since))
                        .addValue("limit", limit),
                (rs, n) -> new JitManagement.TypeCount(rs.getString("resource_type"), rs.getLong("n")));
    }

    private static String filter() {
        return " AND (CAST(:status AS TEXT) IS NULL OR status = :status)"
                + " AND (CAST(:requester AS TEXT) IS NULL OR requester_id = :requester)";
    }

    private static MapSqlParameterSource filter(String tenantId, @Nullable String status,
                                                @Nullable String requesterId) {
        return new MapSqlParameterSource("tenant", tenantId).addValue("status", status, Types.VARCHAR)
                .addValue("requester", requesterId, Types.VARCHAR);
    }

    private MapSqlParameterSource values(JitRequest request) {
        return new MapSqlParameterSource("id", request.requestId()).addValue("tenant", request.tenantId())
                .addValue("policy", request.policyId()).addValue("requester", request.requesterId())
                .addValue("type", request.resourceType()).addValue("resource", request.resourceId())
                .addValue("permissions", json.writeValueAsString(request.permissions()))
                .addValue("justification", request.justification()).addValue("duration", request.durationMinutes())
                .addValue("ticket", request.ticketReference(), Types.VARCHAR)
                .addValue("risk", request.riskScore(), Types.NUMERIC).addValue("status", request.status())
                .addValue("approvers", json.writeValueAsString(request.approvers()))
                .addValue("requestedAt", Timestamp.from(request.requestedAt()))
                .addValue("processedAt", request.processedAt() == null ? null : Timestamp.from(request.processedAt()),
                        Types.TIMESTAMP)
                .addValue("processedBy", request.processedBy(), Types.VARCHAR)
                .addValue("reason", request.processReason(), Types.VARCHAR)
                .addValue("auto", request.autoApproved())
                .addValue("grant", request.grantId(), Types.OTHER);
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
