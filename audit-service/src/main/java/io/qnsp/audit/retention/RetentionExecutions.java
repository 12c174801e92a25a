package io.qnsp.audit.retention;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/** The record of every cleanup, and per tenant what real runs deleted: the source of the retention savings. */
@Repository
class RetentionExecutions {

    private final NamedParameterJdbcTemplate jdbc;

    RetentionExecutions(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void record(RetentionOwner owner, String policyName, CleanupReport report, Instant finishedAt,
                List<RetainedEvents.Reclaimed> reclaimed) {
        jdbc.update("""
                INSERT INTO retention_execution (execution_id, tenant_id, policy_id, policy_name, dry_run, cutoff,
                    events_processed, events_deleted, events_archived, bytes_reclaimed, archive_file, started_at,
                    finished_at)
                VALUES (:id, :tenant, :policyId, :policyName, :dryRun, :cutoff, :processed, :deleted, :archived,
                    :bytes, :archiveFile, :startedAt, :finishedAt)""",
                new MapSqlParameterSource("id", report.executionId())
                        .addValue("tenant", owner.tenantId(), Types.VARCHAR)
                        .addValue("policyId", report.policyId()).addValue("policyName", policyName)
                        .addValue("dryRun", report.dryRun()).addValue("cutoff", Timestamp.from(report.cutoff()))
                        .addValue("processed", report.eventsProcessed()).addValue("deleted", report.eventsDeleted())
                        .addValue("archived", report.eventsArchived()).addValue("bytes", report.bytesReclaimed())
                        .addValue("archiveFile", report.archiveFile(), Types.VARCHAR)
                        .addValue("startedAt", Timestamp.from(report.executedAt()))
                        .addValue("finishedAt", Timestamp.from(finishedAt)));
        for (RetainedEvents.Reclaimed share : reclaimed) {
            jdbc.update("INSERT INTO retention_reclaimed (execution_id, tenant_id, events_deleted, bytes_reclaimed)"
                            + " VALUES (:id, :tenant, :events, :bytes)",
                    new MapSqlParameterSource("id", report.executionId())
                            .addValue("tenant", share.tenantId(), Types.VARCHAR)
                            .addValue("events", share.events()).addValue("bytes", share.bytes()));
        }
    }

    /** What real cleanups deleted of a tenant's events, whoever's policy it was; for the platform, of all events. */
    RetentionMetrics.Savings savings(RetentionOwner owner) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String where = "";
        if (!owner.platform()) {
            where = " WHERE tenant_id = :tenant";
            params.addValue("tenant", owner.tenantId());
        }
        return jdbc.queryForObject("SELECT coalesce(sum(events_deleted), 0) AS events, "
                        + "coalesce(sum(bytes_reclaimed), 0) AS bytes FROM retention_reclaimed" + where, params,
                (rs, row) -> new RetentionMetrics.Savings(rs.getLong("events"), rs.getLong("bytes")));
    }
}
