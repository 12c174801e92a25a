package io.qnsp.auth.federation;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.qnsp.auth.federation.FederatedEvents.utc;

/**
 * The reports and their generated files, on PostgreSQL. Reads for callers are scoped by tenant; the generation
 * bookkeeping (claim, complete, fail) works by id, each step conditional on the report still being pending, so two
 * instances never both finish one report.
 */
@Repository
class FederationReports {

    private static final String COLUMNS = "id, tenant_id, report_type, format, status, range_start, range_end,"
            + " providers::text AS providers, requested_by, created_at, attempts, claimed_at, completed_at,"
            + " failure_reason";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    FederationReports(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(StoredReport report) {
        jdbc.sql("INSERT INTO federation_audit_report (id, tenant_id, report_type, format, status, range_start,"
                        + " range_end, providers, requested_by, created_at) VALUES (:id, :tenant, :type, :format,"
                        + " :status, :start, :end, CAST(:providers AS jsonb), :by, :created)")
                .param("id", report.id())
                .param("tenant", report.tenantId())
                .param("type", report.reportType().value())
                .param("format", report.format().value())
                .param("status", report.status().value())
                .param("start", utc(report.rangeStart()))
                .param("end", utc(report.rangeEnd()))
                .param("providers", report.providers() == null ? null : json.writeValueAsString(report.providers()))
                .param("by", report.requestedBy())
                .param("created", utc(report.createdAt()))
                .update();
    }

    /** The tenant's report with its JSON summary (when completed). */
    Optional<StoredReport> find(String tenantId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + ", data::text AS data FROM federation_audit_report"
                        + " WHERE id = :id AND tenant_id = :tenant")
                .param("id", id).param("tenant", tenantId)
                .query(this::withData).optional();
    }

    /** The tenant's reports, newest first, without their summaries. */
    List<StoredReport> list(String tenantId, int max) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM federation_audit_report WHERE tenant_id = :tenant"
                        + " ORDER BY created_at DESC, id DESC LIMIT :max")
                .param("tenant", tenantId).param("max", max)
                .query((rs, n) -> row(rs, null)).list();
    }

    /** The generated file of the tenant's completed report. */
    Optional<byte[]> content(String tenantId, UUID id) {
        return jdbc.sql("SELECT content FROM federation_audit_report WHERE id = :id AND tenant_id = :tenant"
                        + " AND status = 'completed'")
                .param("id", id).param("tenant", tenantId)
                .query((rs, n) -> rs.getBytes("content")).optional();
    }

    /** A report by id alone, for its generation. */
    Optional<StoredReport> forGeneration(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM federation_audit_report WHERE id = :id")
                .param("id", id).query((rs, n) -> row(rs, null)).optional();
    }

    /**
     * Takes a pending report for generation, unless another generation holds a claim younger than {@code
     * staleBefore}; counts the attempt.
     */
    boolean claim(UUID id, Instant now, Instant staleBefore) {
        return jdbc.sql("UPDATE federation_audit_report SET attempts = attempts + 1, claimed_at = :now"
                        + " WHERE id = :id AND status = 'pending' AND (claimed_at IS NULL OR claimed_at < :stale)")
                .param("id", id).param("now", utc(now)).param("stale", utc(staleBefore))
                .update() == 1;
    }

    boolean complete(UUID id, Instant now, String dataJson, byte[] content) {
        return jdbc.sql("UPDATE federation_audit_report SET status = 'completed', completed_at = :now,"
                        + " data = CAST(:data AS jsonb), content = :content WHERE id = :id AND status = 'pending'")
                .param("id", id).param("now", utc(now)).param("data", dataJson).param("content", content)
                .update() == 1;
    }

    boolean fail(UUID id, Instant now, String reason) {
        return jdbc.sql("UPDATE federation_audit_report SET status = 'failed', completed_at = :now,"
                        + " failure_reason = :reason WHERE id = :id AND status = 'pending'")
                .param("id", id).param("now", utc(now)).param("reason", reason)
                .update() == 1;
    }

    /**
     * Pending reports nobody is generating: never claimed although created before {@code unclaimedBefore} (their
     * dispatch was lost, e.g. the instance stopped right after the request), or claimed before {@code staleBefore}
     * (the generating instance died). Oldest first.
     */
    List<StoredReport> abandoned(Instant unclaimedBefore, Instant staleBefore, int max) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM federation_audit_report WHERE status = 'pending'"
                        + " AND ((claimed_at IS NULL AND created_at < :unclaimed) OR claimed_at < :stale)"
                        + " ORDER BY created_at LIMIT :max")
                .param("unclaimed", utc(unclaimedBefore)).param("stale", utc(staleBefore)).param("max", max)
                .query((rs, n) -> row(rs, null)).list();
    }

    private StoredReport withData(ResultSet rs, int n) throws SQLException {
        return row(rs, rs.getString("data"));
    }

    private StoredReport row(ResultSet rs, String data) throws SQLException {
        String providers = rs.getString("providers");
        return new StoredReport(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                ReportType.of(rs.getString("report_type")), ReportFormat.find(rs.getString("format")).orElseThrow(),
                ReportStatus.of(rs.getString("status")), instant(rs, "range_start"), instant(rs, "range_end"),
                providers == null ? null : json.readValue(providers, STRINGS), rs.getString("requested_by"),
                instant(rs, "created_at"), rs.getInt("attempts"), instant(rs, "claimed_at"),
                instant(rs, "completed_at"), rs.getString("failure_reason"), data);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
