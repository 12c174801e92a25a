package io.qnsp.kms.escrow;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The stored escrow policies, escrows, recovery requests and the escrow audit log, always read within one tenant. */
@Repository
class Escrows {

    private static final TypeReference<List<EscrowAgent>> AGENTS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {
    };

    private static final String POLICY_COLUMNS = "policy_id, tenant_id, name, description, key_types, agents, "
            + "recovery_threshold, retention_period, created_at, updated_at";
    private static final String ESCROW_COLUMNS = "escrow_id, tenant_id, key_id, key_version, policy_id, agents, "
            + "recovery_threshold, reason, status, expires_at, created_at, recovered_at";
    private static final String REQUEST_COLUMNS = "request_id, tenant_id, escrow_id, status, urgency, reason, "
            + "requested_by, required_shares, created_at, expires_at, recovered_at";

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<EscrowPolicy> policy;
    private final RowMapper<EscrowedKey> escrow;
    private final RowMapper<EscrowAuditEvent> event;

    Escrows(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.policy = (rs, row) -> new EscrowPolicy(rs.getObject("policy_id", UUID.class), rs.getString("tenant_id"),
                rs.getString("name"), rs.getString("description"), json.readValue(rs.getString("key_types"), STRINGS),
                json.readValue(rs.getString("agents"), AGENTS), rs.getInt("recovery_threshold"),
                rs.getString("retention_period"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
        this.escrow = (rs, row) -> new EscrowedKey(rs.getObject("escrow_id", UUID.class), rs.getString("tenant_id"),
                rs.getObject("key_id", UUID.class), rs.getInt("key_version"), rs.getObject("policy_id", UUID.class),
                json.readValue(rs.getString("agents"), AGENTS), rs.getInt("recovery_threshold"),
                rs.getString("reason"), rs.getString("status"), instant(rs.getTimestamp("expires_at")),
                rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("recovered_at")));
        this.event = (rs, row) -> new EscrowAuditEvent(rs.getObject("event_id", UUID.class),
                rs.getObject("escrow_id", UUID.class), rs.getString("event_type"), rs.getString("actor"),
                rs.getTimestamp("occurred_at").toInstant(), json.readValue(rs.getString("details"), DETAILS));
    }

    // ---- policies ----

    void insertPolicy(EscrowPolicy p) {
        jdbc.update("INSERT INTO escrow_policy (" + POLICY_COLUMNS + ") VALUES (:id, :tenant, :name, :description, "
                + "CAST(:keyTypes AS JSONB), CAST(:agents AS JSONB), :threshold, :retention, :createdAt, :updatedAt)",
                policyValues(p));
    }

    void updatePolicy(EscrowPolicy p) {
        jdbc.update("UPDATE escrow_policy SET name = :name, description = :description, "
                + "agents = CAST(:agents AS JSONB), recovery_threshold = :threshold, updated_at = :updatedAt "
                + "WHERE policy_id = :id AND tenant_id = :tenant", policyValues(p));
    }

    Optional<EscrowPolicy> findPolicy(String tenantId, UUID policyId, boolean forUpdate) {
        return jdbc.query("SELECT " + POLICY_COLUMNS + " FROM escrow_policy WHERE tenant_id = :tenant "
                        + "AND policy_id = :id" + (forUpdate ? " FOR UPDATE" : ""),
                new MapSqlParameterSource("tenant", tenantId).addValue("id", policyId), policy).stream().findFirst();
    }

    List<EscrowPolicy> policies(String tenantId) {
        return jdbc.query("SELECT " + POLICY_COLUMNS + " FROM escrow_policy WHERE tenant_id = :tenant "
                + "ORDER BY created_at, policy_id", new MapSqlParameterSource("tenant", tenantId), policy);
    }

    // ---- escrows ----

    void insertEscrow(EscrowedKey e) {
        jdbc.update("INSERT INTO key_escrow (" + ESCROW_COLUMNS + ") VALUES (:id, :tenant, :keyId, :keyVersion, "
                + ":policyId, CAST(:agents AS JSONB), :threshold, :reason, :status, :expiresAt, :createdAt, NULL)",
                new MapSqlParameterSource("id", e.escrowId()).addValue("tenant", e.tenantId())
                        .addValue("keyId", e.keyId()).addValue("keyVersion", e.keyVersion())
                        .addValue("policyId", e.policyId()).addValue("agents", json.writeValueAsString(e.agents()))
                        .addValue("threshold", e.recoveryThreshold())
                        .addValue("reason", e.reason(), Types.VARCHAR).addValue("status", e.status())
                        .addValue("expiresAt", timestamp(e.expiresAt()), Types.TIMESTAMP)
                        .addValue("createdAt", Timestamp.from(e.createdAt())));
    }

    void insertShareCheck(UUID escrowId, String agentId, int x, byte[] hash) {
        jdbc.update("INSERT INTO escrow_share_check (escrow_id, agent_id, share_x, share_hash) "
                + "VALUES (:id, :agent, :x, :hash)", new MapSqlParameterSource("id", escrowId)
                .addValue("agent", agentId).addValue("x", x).addValue("hash", hash));
    }

    Optional<byte[]> shareHash(UUID escrowId, String agentId) {
        return jdbc.query("SELECT share_hash FROM escrow_share_check WHERE escrow_id = :id AND agent_id = :agent",
                new MapSqlParameterSource("id", escrowId).addValue("agent", agentId),
                (rs, row) -> rs.getBytes("share_hash")).stream().findFirst();
    }

    void markEscrowRecovered(UUID escrowId, Instant at) {
        jdbc.update("UPDATE key_escrow SET status = 'recovered', recovered_at = :at WHERE escrow_id = :id",
                new MapSqlParameterSource("id", escrowId).addValue("at", Timestamp.from(at)));
    }

    Optional<EscrowedKey> findEscrow(String tenantId, UUID escrowId, boolean forUpdate) {
        return jdbc.query("SELECT " + ESCROW_COLUMNS + " FROM key_escrow WHERE tenant_id = :tenant "
                        + "AND escrow_id = :id" + (forUpdate ? " FOR UPDATE" : ""),
                new MapSqlParameterSource("tenant", tenantId).addValue("id", escrowId), escrow).stream().findFirst();
    }

    List<EscrowedKey> escrows(String tenantId) {
        return jdbc.query("SELECT " + ESCROW_COLUMNS + " FROM key_escrow WHERE tenant_id = :tenant "
                + "ORDER BY created_at, escrow_id", new MapSqlParameterSource("tenant", tenantId), escrow);
    }

    // ---- recovery requests ----

    void insertRequest(RecoveryRequest r) {
        jdbc.update("INSERT INTO escrow_recovery (" + REQUEST_COLUMNS + ") VALUES (:id, :tenant, :escrowId, :status, "
                + ":urgency, :reason, :requestedBy, :required, :createdAt, :expiresAt, NULL)",
                new MapSqlParameterSource("id", r.requestId()).addValue("tenant", r.tenantId())
                        .addValue("escrowId", r.escrowId()).addValue("status", r.status())
                        .addValue("urgency", r.urgency()).addValue("reason", r.reason())
                        .addValue("requestedBy", r.requestedBy()).addValue("required", r.requiredShares())
                        .addValue("createdAt", Timestamp.from(r.createdAt()))
                        .addValue("expiresAt", Timestamp.from(r.expiresAt())));
    }

    void updateRequest(RecoveryRequest r) {
        jdbc.update("UPDATE escrow_recovery SET status = :status, recovered_at = :recoveredAt WHERE request_id = :id",
                new MapSqlParameterSource("id", r.requestId()).addValue("status", r.status())
                        .addValue("recoveredAt", timestamp(r.recoveredAt()), Types.TIMESTAMP));
    }

    Optional<RecoveryRequest> findRequest(String tenantId, UUID requestId, boolean forUpdate) {
        return jdbc.query("SELECT " + REQUEST_COLUMNS + " FROM escrow_recovery WHERE tenant_id = :tenant "
                        + "AND request_id = :id" + (forUpdate ? " FOR UPDATE" : ""),
                new MapSqlParameterSource("tenant", tenantId).addValue("id", requestId), REQUEST).stream()
                .findFirst();
    }

    /** Open requests whose lifetime has passed, locked, across tenants: for the expiry sweep. */
    List<RecoveryRequest> dueForExpiry(Instant now) {
        return jdbc.query("SELECT " + REQUEST_COLUMNS + " FROM escrow_recovery WHERE status NOT IN ('denied', "
                        + "'recovered', 'expired') AND expires_at <= :now FOR UPDATE SKIP LOCKED",
                new MapSqlParameterSource("now", Timestamp.from(now)), REQUEST);
    }

    void insertSubmittedShare(UUID requestId, String agentId, byte[] sealed, Instant at) {
        jdbc.update("INSERT INTO escrow_recovery_share (request_id, agent_id, sealed_share, submitted_at) "
                + "VALUES (:id, :agent, :sealed, :at)", new MapSqlParameterSource("id", requestId)
                .addValue("agent", agentId).addValue("sealed", sealed).addValue("at", Timestamp.from(at)));
    }

    boolean hasSubmitted(UUID requestId, String agentId) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM escrow_recovery_share WHERE request_id = :id "
                + "AND agent_id = :agent", new MapSqlParameterSource("id", requestId).addValue("agent", agentId),
                Integer.class);
        return count != null && count > 0;
    }

    /** agent id to sealed share. */
    Map<String, byte[]> submittedShares(UUID requestId) {
        Map<String, byte[]> shares = new java.util.LinkedHashMap<>();
        jdbc.query("SELECT agent_id, sealed_share FROM escrow_recovery_share WHERE request_id = :id ORDER BY agent_id",
                new MapSqlParameterSource("id", requestId),
                rs -> {
                    shares.put(rs.getString("agent_id"), rs.getBytes("sealed_share"));
                });
        return shares;
    }

    int submittedCount(UUID requestId) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM escrow_recovery_share WHERE request_id = :id",
                new MapSqlParameterSource("id", requestId), Integer.class);
        return count == null ? 0 : count;
    }

    void eraseSubmittedShares(UUID requestId) {
        jdbc.update("DELETE FROM escrow_recovery_share WHERE request_id = :id",
                new MapSqlParameterSource("id", requestId));
    }

    void insertDecision(UUID requestId, RecoveryDecision d) {
        jdbc.update("INSERT INTO escrow_recovery_decision (request_id, decided_by, admin, decision, reason, "
                + "decided_at) VALUES (:id, :by, :admin, :decision, :reason, :at)",
                new MapSqlParameterSource("id", requestId).addValue("by", d.decidedBy()).addValue("admin", d.admin())
                        .addValue("decision", d.decision()).addValue("reason", d.reason(), Types.VARCHAR)
                        .addValue("at", Timestamp.from(d.decidedAt())));
    }

    List<RecoveryDecision> decisions(UUID requestId) {
        return jdbc.query("SELECT decided_by, admin, decision, reason, decided_at FROM escrow_recovery_decision "
                        + "WHERE request_id = :id ORDER BY decided_at, decided_by",
                new MapSqlParameterSource("id", requestId),
                (rs, row) -> new RecoveryDecision(rs.getString("decided_by"), rs.getBoolean("admin"),
                        rs.getString("decision"), rs.getString("reason"), rs.getTimestamp("decided_at").toInstant()));
    }

    // ---- audit ----

    void insertEvent(String tenantId, EscrowAuditEvent e) {
        jdbc.update("INSERT INTO escrow_audit_event (event_id, tenant_id, escrow_id, event_type, actor, occurred_at, "
                + "details) VALUES (:id, :tenant, :escrowId, :type, :actor, :at, CAST(:details AS JSONB))",
                new MapSqlParameterSource("id", e.eventId()).addValue("tenant", tenantId)
                        .addValue("escrowId", e.escrowId()).addValue("type", e.eventType())
                        .addValue("actor", e.actor()).addValue("at", Timestamp.from(e.timestamp()))
                        .addValue("details", json.writeValueAsString(e.details())));
    }

    List<EscrowAuditEvent> events(String tenantId, @Nullable UUID escrowId, @Nullable String eventType,
                                  @Nullable Instant since) {
        return jdbc.query("SELECT event_id, escrow_id, event_type, actor, occurred_at, details "
                        + "FROM escrow_audit_event WHERE tenant_id = :tenant "
                        + "AND (CAST(:escrowId AS UUID) IS NULL OR escrow_id = :escrowId) "
                        + "AND (CAST(:type AS TEXT) IS NULL OR event_type = :type) "
                        + "AND (CAST(:since AS TIMESTAMPTZ) IS NULL OR occurred_at >= :since) "
                        + "ORDER BY occurred_at, event_id LIMIT 1000",
                new MapSqlParameterSource("tenant", tenantId).addValue("escrowId", escrowId, Types.OTHER)
                        .addValue("type", eventType, Types.VARCHAR)
                        .addValue("since", timestamp(since), Types.TIMESTAMP), event);
    }

    private MapSqlParameterSource policyValues(EscrowPolicy p) {
        return new MapSqlParameterSource("id", p.policyId()).addValue("tenant", p.tenantId())
                .addValue("name", p.name()).addValue("description", p.description(), Types.VARCHAR)
                .addValue("keyTypes", json.writeValueAsString(p.keyTypes()))
                .addValue("agents", json.writeValueAsString(p.agents()))
                .addValue("threshold", p.recoveryThreshold())
                .addValue("retention", p.retentionPeriod(), Types.VARCHAR)
                .addValue("createdAt", Timestamp.from(p.createdAt()))
                .addValue("updatedAt", Timestamp.from(p.updatedAt()));
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static final RowMapper<RecoveryRequest> REQUEST = (rs, row) -> new RecoveryRequest(
            rs.getObject("request_id", UUID.class), rs.getString("tenant_id"), rs.getObject("escrow_id", UUID.class),
            rs.getString("status"), rs.getString("urgency"), rs.getString("reason"), rs.getString("requested_by"),
            rs.getInt("required_shares"), rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("expires_at").toInstant(), instant(rs.getTimestamp("recovered_at")));
}
