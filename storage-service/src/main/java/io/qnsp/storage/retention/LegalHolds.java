package io.qnsp.storage.retention;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Legal holds, and which objects they cover; each query scoped by tenant. */
@Repository
class LegalHolds {

    private static final RowMapper<LegalHold> HOLD = (rs, row) -> new LegalHold(rs.getObject("hold_id", UUID.class),
            rs.getString("tenant_id"), rs.getString("name"), rs.getString("reason"), uuids(rs.getArray("object_ids")),
            uuids(rs.getArray("bucket_ids")), instant(rs.getTimestamp("expires_at")), rs.getString("created_by"),
            rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("released_at")),
            rs.getString("released_by"), rs.getString("release_reason"));

    private final JdbcClient jdbc;

    LegalHolds(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(LegalHold h) {
        jdbc.sql("""
                        INSERT INTO legal_hold (hold_id, tenant_id, name, reason, object_ids, bucket_ids, expires_at,
                            created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(h.holdId(), h.tenantId(), h.name(), h.reason(), h.objectIds().toArray(UUID[]::new),
                        h.bucketIds().toArray(UUID[]::new),
                        h.expiresAt() == null ? null : Timestamp.from(h.expiresAt()), h.createdBy(),
                        Timestamp.from(h.createdAt()))
                .update();
    }

    Optional<LegalHold> lock(String tenantId, UUID holdId) {
        return jdbc.sql("SELECT * FROM legal_hold WHERE tenant_id = ? AND hold_id = ? FOR UPDATE")
                .params(tenantId, holdId).query(HOLD).optional();
    }

    Optional<LegalHold> find(String tenantId, UUID holdId) {
        return jdbc.sql("SELECT * FROM legal_hold WHERE tenant_id = ? AND hold_id = ?").params(tenantId, holdId)
                .query(HOLD).optional();
    }

    List<LegalHold> all(String tenantId) {
        return jdbc.sql("SELECT * FROM legal_hold WHERE tenant_id = ? ORDER BY created_at").param(tenantId)
                .query(HOLD).list();
    }

    void release(UUID holdId, Instant at, String by, String reason) {
        jdbc.sql("UPDATE legal_hold SET released_at = ?, released_by = ?, release_reason = ? WHERE hold_id = ?")
                .params(Timestamp.from(at), by, reason, holdId).update();
    }

    /** How many of the tenant's objects the hold's scope covers now. */
    long objectsCovered(String tenantId, List<UUID> objectIds, List<UUID> bucketIds) {
        return jdbc.sql("SELECT count(*) FROM stored_object WHERE tenant_id = ? AND (object_id = ANY (?) "
                        + "OR bucket_id = ANY (?))")
                .params(tenantId, objectIds.toArray(UUID[]::new), bucketIds.toArray(UUID[]::new))
                .query(Long.class).single();
    }

    /** The active holds covering the object (by its id or its bucket). */
    List<UUID> holding(String tenantId, UUID objectId, UUID bucketId, Instant now) {
        return jdbc.sql("""
                        SELECT hold_id FROM legal_hold
                        WHERE tenant_id = ? AND released_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
                          AND (? = ANY (object_ids) OR ? = ANY (bucket_ids))
                        ORDER BY created_at""")
                .params(tenantId, Timestamp.from(now), objectId, bucketId).query(UUID.class).list();
    }

    private static List<UUID> uuids(@Nullable Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((UUID[]) array.getArray());
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
