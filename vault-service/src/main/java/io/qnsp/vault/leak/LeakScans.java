package io.qnsp.vault.leak;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The stored scans: the queue instances claim from ({@code FOR UPDATE SKIP LOCKED}, so each queued scan goes to
 * exactly one instance), and the progress of each, written only by the instance that claimed it.
 */
@Repository
class LeakScans {

    private static final String COLUMNS = "scan_id, tenant_id, status, targets, repositories, organizations, "
            + "policy_ids, requested_by, created_at, estimated_units, estimated_completion_at, started_at, "
            + "completed_at, progress, repositories_total, repositories_scanned, files_scanned, findings, "
            + "failure_reason";

    private final NamedParameterJdbcTemplate jdbc;

    LeakScans(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(LeakScan scan) {
        jdbc.update("INSERT INTO leak_scan (scan_id, tenant_id, status, targets, repositories, organizations, "
                + "policy_ids, requested_by, created_at, estimated_units, estimated_completion_at) VALUES (:id, "
                + ":tenant, 'queued', " + TextArrays.SQL.formatted("targets") + ", "
                + TextArrays.SQL.formatted("repositories") + ", " + TextArrays.SQL.formatted("organizations") + ", "
                + TextArrays.UUID_SQL.formatted("policies") + ", :requestedBy, :createdAt, :units, :estimate)",
                new MapSqlParameterSource("id", scan.scanId()).addValue("tenant", scan.tenantId())
                        .addValue("targets", TextArrays.join(scan.targets().stream().map(ScanTarget::apiName)
                                .toList()))
                        .addValue("repositories", TextArrays.join(scan.repositories()))
                        .addValue("organizations", TextArrays.join(scan.organizations()))
                        .addValue("policies", TextArrays.join(scan.policyIds()))
                        .addValue("requestedBy", scan.requestedBy())
                        .addValue("createdAt", Timestamp.from(scan.createdAt()))
                        .addValue("units", scan.estimatedUnits())
                        .addValue("estimate", Timestamp.from(scan.estimatedCompletionAt())));
    }

    Optional<LeakScan> find(String tenantId, UUID scanId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM leak_scan WHERE scan_id = :id AND tenant_id = :tenant",
                new MapSqlParameterSource("id", scanId).addValue("tenant", tenantId), SCAN).stream().findFirst();
    }

    /** Takes the oldest queued scan no other instance is taking, and marks it running for this instance. */
    Optional<LeakScan> claimNext(String instanceId, Instant now) {
        return jdbc.query("UPDATE leak_scan SET status = 'running', started_at = :now, claimed_by = :instance, "
                        + "heartbeat_at = :now WHERE scan_id = (SELECT scan_id FROM leak_scan WHERE status = 'queued' "
                        + "ORDER BY created_at, scan_id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS,
                new MapSqlParameterSource("instance", instanceId).addValue("now", Timestamp.from(now)), SCAN)
                .stream().findFirst();
    }

    /** Records progress; false when the scan is no longer this instance's to run (it was failed as stale). */
    boolean progress(UUID scanId, String instanceId, int progress, @Nullable Integer repositoriesTotal,
                     int repositoriesScanned, long filesScanned, int findings, Instant now) {
        return jdbc.update("UPDATE leak_scan SET progress = :progress, repositories_total = :total, "
                + "repositories_scanned = :scanned, files_scanned = :files, findings = :findings, heartbeat_at = :now "
                + "WHERE scan_id = :id AND claimed_by = :instance AND status = 'running'",
                new MapSqlParameterSource("id", scanId).addValue("instance", instanceId)
                        .addValue("progress", progress).addValue("total", repositoriesTotal)
                        .addValue("scanned", repositoriesScanned).addValue("files", filesScanned)
                        .addValue("findings", findings).addValue("now", Timestamp.from(now))) > 0;
    }

    boolean complete(UUID scanId, String instanceId, Instant now) {
        return jdbc.update("UPDATE leak_scan SET status = 'completed', progress = 100, completed_at = :now, "
                        + "heartbeat_at = :now WHERE scan_id = :id AND claimed_by = :instance AND status = 'running'",
                new MapSqlParameterSource("id", scanId).addValue("instance", instanceId)
                        .addValue("now", Timestamp.from(now))) > 0;
    }

    boolean fail(UUID scanId, String instanceId, String reason, Instant now) {
        return jdbc.update("UPDATE leak_scan SET status = 'failed', failure_reason = :reason, completed_at = :now, "
                        + "heartbeat_at = :now WHERE scan_id = :id AND claimed_by = :instance AND status = 'running'",
                new MapSqlParameterSource("id", scanId).addValue("instance", instanceId).addValue("reason", reason)
                        .addValue("now", Timestamp.from(now))) > 0;
    }

    void heartbeat(String instanceId, List<UUID> scanIds, Instant now) {
        if (!scanIds.isEmpty()) {
            jdbc.update("UPDATE leak_scan SET heartbeat_at = :now WHERE scan_id IN (:ids) AND claimed_by = :instance "
                            + "AND status = 'running'", new MapSqlParameterSource("ids", scanIds)
                    .addValue("instance", instanceId).addValue("now", Timestamp.from(now)));
        }
    }

    /** Fails the running scans nobody touched since {@code before}: their instance stopped. How many. */
    int failStale(Instant before, Instant now) {
        return jdbc.update("UPDATE leak_scan SET status = 'failed', completed_at = :now, failure_reason = "
                        + "'the instance running the scan stopped before it finished; submit it again' "
                        + "WHERE status = 'running' AND heartbeat_at < :before",
                new MapSqlParameterSource("before", Timestamp.from(before)).addValue("now", Timestamp.from(now)));
    }

    /** Repositories still to read in queued and running scans (all tenants), by their estimates. */
    double unitsAhead() {
        Double units = jdbc.queryForObject("SELECT COALESCE(SUM(estimated_units * (100 - progress) / 100.0), 0) "
                + "FROM leak_scan WHERE status IN ('queued', 'running')", new MapSqlParameterSource(), Double.class);
        return units == null ? 0 : units;
    }

    /** The time one repository took in the last 50 completed scans that read any; empty before there are some. */
    Optional<Duration> observedTimePerRepository() {
        Double seconds = jdbc.queryForObject("SELECT SUM(EXTRACT(EPOCH FROM completed_at - started_at)) / "
                + "NULLIF(SUM(repositories_scanned), 0) FROM (SELECT completed_at, started_at, repositories_scanned "
                + "FROM leak_scan WHERE status = 'completed' AND repositories_scanned > 0 "
                + "ORDER BY completed_at DESC LIMIT 50) recent", new MapSqlParameterSource(), Double.class);
        return seconds == null ? Optional.empty() : Optional.of(Duration.ofMillis((long) (seconds * 1000)));
    }

    private static final RowMapper<LeakScan> SCAN = (rs, row) -> new LeakScan(rs.getObject("scan_id", UUID.class),
            rs.getString("tenant_id"), ScanStatus.fromApiName(rs.getString("status")),
            TextArrays.read(rs.getArray("targets")).stream().map(ScanTarget::fromApiName).toList(),
            TextArrays.read(rs.getArray("repositories")), TextArrays.read(rs.getArray("organizations")),
            TextArrays.read(rs.getArray("policy_ids")).stream().map(UUID::fromString).toList(),
            rs.getString("requested_by"), rs.getTimestamp("created_at").toInstant(), rs.getInt("estimated_units"),
            rs.getTimestamp("estimated_completion_at").toInstant(), instant(rs.getTimestamp("started_at")),
            instant(rs.getTimestamp("completed_at")), rs.getInt("progress"),
            (Integer) rs.getObject("repositories_total"), rs.getInt("repositories_scanned"),
            rs.getLong("files_scanned"), rs.getInt("findings"), rs.getString("failure_reason"));

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
