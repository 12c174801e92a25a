package io.qnsp.storage.replication;

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

/** Replication configurations, their copy tasks and the replicas each region holds; scoped by tenant. */
@Repository
class Replications {

    /** A configuration's pending work, measured from its tasks. */
    record Backlog(long pendingObjects, long failingObjects, int maxAttempts, @Nullable Instant oldestPending) {
    }

    /** A region's copies for a tenant, measured from the completed and pending tasks. */
    record RegionFigures(@Nullable Double meanCopyMillis, @Nullable Instant lastSyncAt, long pendingObjects,
                         long failingObjects) {
    }

    private static final RowMapper<ReplicationConfig> CONFIG = (rs, row) -> new ReplicationConfig(
            rs.getObject("config_id", UUID.class), rs.getString("tenant_id"), rs.getString("name"),
            rs.getString("source_region"), strings(rs.getArray("destination_regions")),
            strings(rs.getArray("buckets")), strings(rs.getArray("prefixes")), rs.getString("mode"),
            rs.getBoolean("encryption_at_rest"), rs.getString("status"), rs.getString("created_by"),
            rs.getTimestamp("created_at").toInstant());

    static final RowMapper<CopyTask> TASK = (rs, row) -> new CopyTask(rs.getLong("task_id"),
            rs.getObject("config_id", UUID.class), rs.getString("tenant_id"), rs.getObject("object_id", UUID.class),
            rs.getObject("version_id", UUID.class), rs.getString("region"), rs.getString("kind"),
            rs.getBoolean("encrypted"), rs.getString("state"), rs.getInt("attempts"), rs.getString("last_error"),
            rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("next_attempt_at").toInstant());

    private final JdbcClient jdbc;

    Replications(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean insert(ReplicationConfig c) {
        return jdbc.sql("""
                        INSERT INTO replication_config (config_id, tenant_id, name, source_region, destination_regions,
                            buckets, prefixes, mode, encryption_at_rest, status, created_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, name) DO NOTHING""")
                .params(c.configId(), c.tenantId(), c.name(), c.sourceRegion(),
                        c.destinationRegions().toArray(String[]::new), c.buckets().toArray(String[]::new),
                        c.prefixes().toArray(String[]::new), c.mode(), c.encryptionAtRest(), c.status(),
                        c.createdBy(), Timestamp.from(c.createdAt()))
                .update() == 1;
    }

    List<ReplicationConfig> configs(String tenantId) {
        return jdbc.sql("SELECT * FROM replication_config WHERE tenant_id = ? ORDER BY created_at, name")
                .param(tenantId).query(CONFIG).list();
    }

    List<ReplicationConfig> active(String tenantId) {
        return jdbc.sql("SELECT * FROM replication_config WHERE tenant_id = ? AND status = 'active' "
                        + "ORDER BY created_at")
                .param(tenantId).query(CONFIG).list();
    }

    /** Queues a task, superseding the pending ones it makes pointless (same object, region and form). */
    long enqueue(UUID configId, String tenantId, UUID objectId, @Nullable UUID versionId, String region, String kind,
                 boolean encrypted, Instant now) {
        jdbc.sql("UPDATE replication_task SET state = 'superseded' WHERE object_id = ? AND region = ? "
                        + "AND encrypted = ? AND config_id = ? AND state = 'pending'")
                .params(objectId, region, encrypted, configId).update();
        return jdbc.sql("""
                        INSERT INTO replication_task (config_id, tenant_id, object_id, version_id, region, kind,
                            encrypted, state, created_at, next_attempt_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING task_id""")
                .params(configId, tenantId, objectId, versionId, region, kind, encrypted, Timestamp.from(now),
                        Timestamp.from(now))
                .query(Long.class).single();
    }

    /** Claims due tasks for this instance alone (rows another claimer holds are skipped). */
    List<CopyTask> claim(Instant now, Instant until, int limit) {
        return jdbc.sql("""
                        UPDATE replication_task SET claimed_until = ?
                        WHERE task_id IN (SELECT task_id FROM replication_task
                                          WHERE state = 'pending' AND next_attempt_at <= ?
                                            AND (claimed_until IS NULL OR claimed_until < ?)
                                          ORDER BY next_attempt_at, task_id LIMIT ? FOR UPDATE SKIP LOCKED)
                        RETURNING *""")
                .params(Timestamp.from(until), Timestamp.from(now), Timestamp.from(now), limit).query(TASK).list();
    }

    Optional<CopyTask> claim(long taskId, Instant now, Instant until) {
        return jdbc.sql("""
                        UPDATE replication_task SET claimed_until = ?
                        WHERE task_id = ? AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)
                        RETURNING *""")
                .params(Timestamp.from(until), taskId, Timestamp.from(now)).query(TASK).optional();
    }

    void succeeded(long taskId, Instant now, long durationMillis) {
        jdbc.sql("""
                        UPDATE replication_task SET state = 'done', attempts = attempts + 1, completed_at = ?,
                            duration_ms = ?, claimed_until = NULL, last_error = NULL
                        WHERE task_id = ? AND state = 'pending'""")
                .params(Timestamp.from(now), durationMillis, taskId).update();
    }

    void superseded(long taskId) {
        jdbc.sql("UPDATE replication_task SET state = 'superseded', claimed_until = NULL WHERE task_id = ? "
                + "AND state = 'pending'").param(taskId).update();
    }

    void failed(long taskId, String error, Instant nextAttempt) {
        jdbc.sql("""
                        UPDATE replication_task SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
                            claimed_until = NULL
                        WHERE task_id = ? AND state = 'pending'""")
                .params(error.length() > 1000 ? error.substring(0, 1000) : error, Timestamp.from(nextAttempt), taskId)
                .update();
    }

    void replicated(CopyTask task, long size, Instant now) {
        jdbc.sql("""
                        INSERT INTO replica (object_id, region, encrypted, tenant_id, version_id, size_bytes,
                            replicated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (object_id, region, encrypted) DO UPDATE SET version_id = excluded.version_id,
                            size_bytes = excluded.size_bytes, replicated_at = excluded.replicated_at""")
                .params(task.objectId(), task.region(), task.encrypted(), task.tenantId(), task.versionId(), size,
                        Timestamp.from(now))
                .update();
    }

    void removed(CopyTask task) {
        jdbc.sql("DELETE FROM replica WHERE object_id = ? AND region = ? AND encrypted = ?")
                .params(task.objectId(), task.region(), task.encrypted()).update();
    }

    /** The regions (and forms) holding a replica of the object, or about to. */
    List<Replica> replicas(UUID objectId) {
        return jdbc.sql("SELECT * FROM replica WHERE object_id = ? ORDER BY region, encrypted DESC").param(objectId)
                .query((rs, row) -> new Replica(rs.getString("region"), rs.getBoolean("encrypted"),
                        rs.getObject("version_id", UUID.class), rs.getLong("size_bytes"),
                        rs.getTimestamp("replicated_at").toInstant()))
                .list();
    }

    /** The pending copies of a content version that sync configurations asked for. */
    List<Long> pendingSync(UUID objectId, UUID versionId) {
        return jdbc.sql("SELECT t.task_id FROM replication_task t JOIN replication_config c ON c.config_id = t.config_id "
                        + "WHERE t.object_id = ? AND t.version_id = ? AND t.state = 'pending' AND c.mode = 'sync' "
                        + "ORDER BY t.task_id")
                .params(objectId, versionId).query(Long.class).list();
    }

    List<CopyTask> pendingFor(UUID objectId) {
        return jdbc.sql("SELECT * FROM replication_task WHERE object_id = ? AND state = 'pending' ORDER BY task_id")
                .param(objectId).query(TASK).list();
    }

    Backlog backlog(UUID configId) {
        return jdbc.sql("""
                        SELECT count(DISTINCT object_id) AS pending,
                               count(DISTINCT object_id) FILTER (WHERE attempts > 0) AS failing,
                               coalesce(max(attempts), 0) AS max_attempts, min(created_at) AS oldest
                        FROM replication_task WHERE config_id = ? AND state = 'pending'""")
                .param(configId)
                .query((rs, row) -> new Backlog(rs.getLong("pending"), rs.getLong("failing"),
                        rs.getInt("max_attempts"), instant(rs.getTimestamp("oldest"))))
                .single();
    }

    /** The copies of a configuration that have failed and wait for their next attempt, most tried first. */
    List<CopyTask> failing(UUID configId, int limit) {
        return jdbc.sql("SELECT * FROM replication_task WHERE config_id = ? AND state = 'pending' AND attempts > 0 "
                        + "ORDER BY attempts DESC, task_id LIMIT ?")
                .params(configId, limit).query(TASK).list();
    }

    RegionFigures region(String tenantId, String region, Instant since) {
        return jdbc.sql("""
                        SELECT avg(duration_ms) FILTER (WHERE state = 'done' AND kind = 'copy' AND completed_at >= ?)
                                   AS mean_ms,
                               max(completed_at) FILTER (WHERE state = 'done') AS last_sync,
                               count(DISTINCT object_id) FILTER (WHERE state = 'pending') AS pending,
                               count(DISTINCT object_id) FILTER (WHERE state = 'pending' AND attempts > 0) AS failing
                        FROM replication_task WHERE tenant_id = ? AND region = ?""")
                .params(Timestamp.from(since), tenantId, region)
                .query((rs, row) -> {
                    double mean = rs.getDouble("mean_ms");
                    return new RegionFigures(rs.wasNull() ? null : mean, instant(rs.getTimestamp("last_sync")),
                            rs.getLong("pending"), rs.getLong("failing"));
                })
                .single();
    }

    private static List<String> strings(@Nullable Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
