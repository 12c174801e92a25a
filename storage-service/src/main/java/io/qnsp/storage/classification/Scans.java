package io.qnsp.storage.classification;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Scans, the objects each covers, and the queue the workers claim them from. */
@Repository
class Scans {

    static final RowMapper<Scan> SCAN = (rs, row) -> new Scan(rs.getObject("scan_id", UUID.class),
            rs.getString("tenant_id"), rs.getString("trigger"), strings(rs.getArray("buckets")),
            strings(rs.getArray("prefixes")), uuids(rs.getArray("policy_ids")), rs.getString("status"),
            rs.getInt("objects_total"), rs.getLong("bytes_total"), rs.getInt("objects_scanned"),
            rs.getInt("objects_labelled"), rs.getInt("objects_failed"), rs.getInt("objects_skipped"),
            rs.getLong("bytes_scanned"),
            rs.getString("requested_by"), rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("estimated_completion_at").toInstant(), instant(rs.getTimestamp("started_at")),
            instant(rs.getTimestamp("completed_at")));

    /** An object a scan still has to read. */
    record Item(UUID objectId, long size) {
    }

    private final JdbcClient jdbc;

    Scans(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Scan s) {
        jdbc.sql("""
                        INSERT INTO classification_scan (scan_id, tenant_id, trigger, buckets, prefixes, policy_ids,
                            status, objects_total, bytes_total, requested_by, created_at, estimated_completion_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(s.scanId(), s.tenantId(), s.trigger(), s.buckets().toArray(String[]::new),
                        s.prefixes().toArray(String[]::new), s.policyIds().toArray(UUID[]::new), s.status(),
                        s.objectsTotal(), s.bytesTotal(), s.requestedBy(), Timestamp.from(s.createdAt()),
                        Timestamp.from(s.estimatedCompletionAt()))
                .update();
    }

    void insertItems(UUID scanId, List<Item> items) {
        for (Item item : items) {
            jdbc.sql("INSERT INTO scan_item (scan_id, object_id, size_bytes) VALUES (?, ?, ?)")
                    .params(scanId, item.objectId(), item.size()).update();
        }
    }

    Optional<Scan> find(String tenantId, UUID scanId) {
        return jdbc.sql("SELECT * FROM classification_scan WHERE tenant_id = ? AND scan_id = ?")
                .params(tenantId, scanId).query(SCAN).optional();
    }

    /** Bytes the queued and running scans still have to read, each object counted up to the scan limit. */
    long bytesAhead(long maxScannedBytes) {
        return jdbc.sql("""
                        SELECT coalesce(sum(least(i.size_bytes, ?)), 0) FROM scan_item i
                        JOIN classification_scan s ON s.scan_id = i.scan_id
                        WHERE s.status IN ('queued', 'running') AND i.state = 'pending'""")
                .param(maxScannedBytes).query(Long.class).single();
    }

    /** Bytes per second the scans completed since the time given have read, or null when too little was read. */
    @Nullable Double measuredThroughput(Instant since, long minimumBytes) {
        return jdbc.sql("""
                        SELECT sum(bytes_scanned)::float8 / nullif(sum(extract(epoch FROM completed_at - started_at)), 0)
                        FROM classification_scan WHERE completed_at >= ? HAVING sum(bytes_scanned) >= ?""")
                .params(Timestamp.from(since), minimumBytes).query(Double.class).optional().orElse(null);
    }

    /**
     * Claims the oldest queued scan, or a running one whose instance stopped renewing its lease, for this instance
     * alone (rows locked by another claimer are skipped).
     */
    Optional<Scan> claim(Instant now, Duration lease) {
        return jdbc.sql("""
                        UPDATE classification_scan SET status = 'running', started_at = coalesce(started_at, ?),
                            lease_until = ?
                        WHERE scan_id = (SELECT scan_id FROM classification_scan
                                         WHERE status = 'queued' OR (status = 'running' AND lease_until < ?)
                                         ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                        RETURNING *""")
                .params(Timestamp.from(now), Timestamp.from(now.plus(lease)), Timestamp.from(now))
                .query(SCAN).optional();
    }

    List<Item> pendingItems(UUID scanId, int limit) {
        return jdbc.sql("SELECT object_id, size_bytes FROM scan_item WHERE scan_id = ? AND state = 'pending' "
                        + "ORDER BY object_id LIMIT ?")
                .params(scanId, limit)
                .query((rs, row) -> new Item(rs.getObject("object_id", UUID.class), rs.getLong("size_bytes"))).list();
    }

    /** Records one object's outcome and the scan's progress, and renews the lease. */
    void itemDone(UUID scanId, UUID objectId, String state, @Nullable String error, long bytes, boolean labelled,
                  Instant leaseUntil) {
        jdbc.sql("UPDATE scan_item SET state = ?, error = ? WHERE scan_id = ? AND object_id = ?")
                .params(state, error, scanId, objectId).update();
        jdbc.sql("""
                        UPDATE classification_scan SET objects_scanned = objects_scanned + ?,
                            objects_labelled = objects_labelled + ?, objects_failed = objects_failed + ?,
                            objects_skipped = objects_skipped + ?, bytes_scanned = bytes_scanned + ?, lease_until = ?
                        WHERE scan_id = ?""")
                .params(state.equals("done") ? 1 : 0, labelled ? 1 : 0, state.equals("failed") ? 1 : 0,
                        state.equals("skipped") ? 1 : 0, bytes,
                        Timestamp.from(leaseUntil), scanId)
                .update();
    }

    void complete(UUID scanId, Instant now) {
        jdbc.sql("UPDATE classification_scan SET status = 'completed', completed_at = ?, lease_until = NULL "
                + "WHERE scan_id = ?").params(Timestamp.from(now), scanId).update();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static List<UUID> uuids(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((UUID[]) array.getArray());
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
