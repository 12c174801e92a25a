package io.qnsp.tenant.health;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The tenants' stored health snapshots; every query is scoped by tenant. */
@Repository
public class HealthSnapshots {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** A stored snapshot. */
    public record Snapshot(UUID snapshotId, String tenantId, Instant recordedAt, int score, String status,
                           Map<String, Object> reported) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;

    HealthSnapshots(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(UUID id, String tenantId, Instant at, String by, HealthScore.Reported reported,
                RequestLog.Observed observed, HealthScore.Assessment assessment) {
        jdbc.sql("""
                        INSERT INTO health_snapshot (snapshot_id, tenant_id, recorded_at, recorded_by, reported,
                            observed, score, status, issues)
                        VALUES (:id, :tenant, :at, :by, CAST(:reported AS jsonb), CAST(:observed AS jsonb), :score,
                            :status, CAST(:issues AS jsonb))""")
                .param("id", id).param("tenant", tenantId).param("at", Timestamp.from(at)).param("by", by)
                .param("reported", json.writeValueAsString(reported))
                .param("observed", json.writeValueAsString(observed))
                .param("score", assessment.score()).param("status", assessment.status())
                .param("issues", json.writeValueAsString(assessment.issues()))
                .update();
    }

    public Optional<Snapshot> latest(String tenantId) {
        return jdbc.sql("SELECT * FROM health_snapshot WHERE tenant_id = :tenant ORDER BY recorded_at DESC, "
                        + "snapshot_id LIMIT 1")
                .param("tenant", tenantId).query(this::snapshot).optional();
    }

    public Optional<Snapshot> find(String tenantId, UUID snapshotId) {
        return jdbc.sql("SELECT * FROM health_snapshot WHERE tenant_id = :tenant AND snapshot_id = :id")
                .param("tenant", tenantId).param("id", snapshotId).query(this::snapshot).optional();
    }

    /** The tenant's snapshots recorded in [from, to), oldest first. */
    public List<Snapshot> between(String tenantId, Instant from, Instant to) {
        return jdbc.sql("SELECT * FROM health_snapshot WHERE tenant_id = :tenant AND recorded_at >= :from "
                        + "AND recorded_at < :to ORDER BY recorded_at, snapshot_id")
                .param("tenant", tenantId).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query(this::snapshot).list();
    }

    /** Up to {@code limit} snapshot ids of tenants other than this one (for isolation audits). */
    public List<UUID> idsOfOtherTenants(String tenantId, int limit) {
        return jdbc.sql("SELECT snapshot_id FROM health_snapshot WHERE tenant_id <> :tenant ORDER BY recorded_at DESC "
                        + "LIMIT :limit")
                .param("tenant", tenantId).param("limit", limit).query(UUID.class).list();
    }

    private Snapshot snapshot(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Snapshot(rs.getObject("snapshot_id", UUID.class), rs.getString("tenant_id"),
                rs.getTimestamp("recorded_at").toInstant(), rs.getInt("score"), rs.getString("status"),
                json.readValue(rs.getString("reported"), MAP));
    }
}
