package io.qnsp.auth.federation;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes reports with aggregate queries over a tenant's events in [start, end), optionally restricted to some
 * providers. The caller runs it in one read-only repeatable-read transaction, so all sections of a report see the
 * same events.
 */
@Component
class ReportSummaries {

    static final String LOGIN = "login";
    static final String MFA_CHALLENGE = "mfa_challenge";

    private static final String DAY = "(occurred_at AT TIME ZONE 'UTC')::date";

    private final JdbcClient jdbc;
    private final FederationAuditSettings settings;

    ReportSummaries(JdbcClient jdbc, FederationAuditSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /** What a report covers. */
    record Scope(String tenantId, Instant start, Instant end, List<String> providers, Instant generatedAt) {
    }

    ReportSummary compute(ReportType type, Scope scope) {
        return switch (type) {
            case ACTIVITY -> activity(scope);
            case SECURITY -> security(scope);
            case COMPLIANCE -> compliance(scope);
        };
    }

    ActivityReport activity(Scope scope) {
        Base base = base(scope);
        List<String> truncated = new ArrayList<>();
        var totals = base.query("SELECT count(*) AS events,"
                + " count(*) FILTER (WHERE outcome = 'success') AS successes,"
                + " count(*) FILTER (WHERE outcome = 'failure') AS failures,"
                + " count(DISTINCT (provider, user_id)) AS users,"
                + " count(*) FILTER (WHERE target_tenant_id IS NOT NULL) AS cross_tenant"
                + " FROM federation_audit_event WHERE " + base.where).query((rs, n) -> new long[] {
                rs.getLong("events"), rs.getLong("successes"), rs.getLong("failures"), rs.getLong("users"),
                rs.getLong("cross_tenant")}).single();
        List<ActivityReport.ProviderActivity> byProvider = cut("byProvider", truncated, base.query(
                "SELECT provider, count(*) AS events, count(*) FILTER (WHERE outcome = 'success') AS successes,"
                        + " count(*) FILTER (WHERE outcome = 'failure') AS failures,"
                        + " count(DISTINCT user_id) AS users FROM federation_audit_event WHERE " + base.where
                        + " GROUP BY provider ORDER BY events DESC, provider LIMIT " + (ReportSummary.MAX_ROWS + 1))
                .query((rs, n) -> new ActivityReport.ProviderActivity(rs.getString("provider"), rs.getLong("events"),
                        rs.getLong("successes"), rs.getLong("failures"), rs.getLong("users"))).list());
        List<ActivityReport.TypeActivity> byType = cut("byEventType", truncated, base.query(
                "SELECT event_type, count(*) AS events, count(*) FILTER (WHERE outcome = 'success') AS successes,"
                        + " count(*) FILTER (WHERE outcome = 'failure') AS failures"
                        + " FROM federation_audit_event WHERE " + base.where
                        + " GROUP BY event_type ORDER BY events DESC, event_type LIMIT " + (ReportSummary.MAX_ROWS + 1))
                .query((rs, n) -> new ActivityReport.TypeActivity(rs.getString("event_type"), rs.getLong("events"),
                        rs.getLong("successes"), rs.getLong("failures"))).list());
        Map<LocalDate, long[]> perDay = new HashMap<>();
        base.query("SELECT " + DAY + " AS day, count(*) AS events,"
                        + " count(*) FILTER (WHERE outcome = 'success') AS successes,"
                        + " count(*) FILTER (WHERE outcome = 'failure') AS failures"
                        + " FROM federation_audit_event WHERE " + base.where + " GROUP BY day")
                .query(rs -> {
                    perDay.put(rs.getObject("day", LocalDate.class), new long[] {rs.getLong("events"),
                            rs.getLong("successes"), rs.getLong("failures")});
                });
        List<ActivityReport.DayActivity> byDay = new ArrayList<>();
        for (LocalDate day : days(scope)) {
            long[] counts = perDay.getOrDefault(day, new long[3]);
            byDay.add(new ActivityReport.DayActivity(day, counts[0], counts[1], counts[2]));
        }
        return new ActivityReport(ReportType.ACTIVITY, scope.start(), scope.end(), scope.providers(),
                scope.generatedAt(), totals[0], totals[1], totals[2], totals[3], totals[4], byProvider, byType, byDay,
                List.copyOf(truncated));
    }

    SecurityReport security(Scope scope) {
        Base base = base(scope);
        List<String> truncated = new ArrayList<>();
        int threshold = settings.repeatedFailureThreshold();
        var totals = base.query("SELECT count(*) AS events,"
                + " count(*) FILTER (WHERE outcome = 'failure') AS failures,"
                + " count(*) FILTER (WHERE outcome = 'failure' AND event_type = '" + MFA_CHALLENGE + "') AS mfa"
                + " FROM federation_audit_event WHERE " + base.where).query((rs, n) -> new long[] {
                rs.getLong("events"), rs.getLong("failures"), rs.getLong("mfa")}).single();
        List<SecurityReport.ProviderFailures> byProvider = cut("byProvider", truncated, base.query(
                "SELECT provider, count(*) AS events, count(*) FILTER (WHERE outcome = 'failure') AS failures"
                        + " FROM federation_audit_event WHERE " + base.where
                        + " GROUP BY provider ORDER BY failures DESC, events DESC, provider LIMIT "
                        + (ReportSummary.MAX_ROWS + 1))
                .query((rs, n) -> new SecurityReport.ProviderFailures(rs.getString("provider"), rs.getLong("events"),
                        rs.getLong("failures"), ReportSummary.rate(rs.getLong("failures"), rs.getLong("events"))))
                .list());
        List<SecurityReport.TypeFailures> byType = cut("failuresByEventType", truncated, base.query(
                "SELECT event_type, count(*) AS failures FROM federation_audit_event WHERE " + base.where
                        + " AND outcome = 'failure' GROUP BY event_type ORDER BY failures DESC, event_type LIMIT "
                        + (ReportSummary.MAX_ROWS + 1))
                .query((rs, n) -> new SecurityReport.TypeFailures(rs.getString("event_type"), rs.getLong("failures")))
                .list());
        String repeated = "SELECT provider, user_id, count(*) AS failures, max(occurred_at) AS last_failure"
                + " FROM federation_audit_event WHERE " + base.where + " AND outcome = 'failure'"
                + " GROUP BY provider, user_id HAVING count(*) >= :threshold";
        long repeatedCount = base.query("SELECT count(*) FROM (" + repeated + ") r").param("threshold", threshold)
                .query(Long.class).single();
        List<SecurityReport.UserFailures> users = cut("usersWithRepeatedFailures", truncated, base.query(
                repeated + " ORDER BY failures DESC, last_failure DESC, provider, user_id LIMIT "
                        + (ReportSummary.MAX_ROWS + 1)).param("threshold", threshold)
                .query((rs, n) -> new SecurityReport.UserFailures(rs.getString("provider"), rs.getString("user_id"),
                        rs.getLong("failures"), rs.getObject("last_failure", OffsetDateTime.class).toInstant()))
                .list());
        return new SecurityReport(ReportType.SECURITY, scope.start(), scope.end(), scope.providers(),
                scope.generatedAt(), totals[0], totals[1], ReportSummary.rate(totals[1], totals[0]), totals[2],
                threshold, repeatedCount, byProvider, byType, users, List.copyOf(truncated));
    }

    ComplianceReport compliance(Scope scope) {
        Base base = base(scope);
        List<String> truncated = new ArrayList<>();
        String counts = " count(*) FILTER (WHERE event_type = '" + LOGIN + "' AND outcome = 'success') AS logins,"
                + " count(*) FILTER (WHERE event_type = '" + MFA_CHALLENGE + "') AS mfa,"
                + " count(*) FILTER (WHERE event_type = '" + MFA_CHALLENGE + "' AND outcome = 'failure') AS mfa_failed";
        // a user who logged in successfully and passed no MFA challenge at the same provider within the range
        String withoutMfa = "SELECT provider, user_id FROM federation_audit_event WHERE " + base.where
                + " GROUP BY provider, user_id"
                + " HAVING count(*) FILTER (WHERE event_type = '" + LOGIN + "' AND outcome = 'success') > 0"
                + " AND count(*) FILTER (WHERE event_type = '" + MFA_CHALLENGE + "' AND outcome = 'success') = 0";
        var totals = base.query("SELECT count(*) AS events," + counts + ","
                + " count(*) FILTER (WHERE metadata = '{}'::jsonb) AS bare,"
                + " count(*) FILTER (WHERE target_tenant_id IS NOT NULL) AS cross_tenant,"
                + " (SELECT count(*) FROM (" + withoutMfa + ") u) AS without_mfa"
                + " FROM federation_audit_event WHERE " + base.where).query((rs, n) -> new long[] {
                rs.getLong("events"), rs.getLong("logins"), rs.getLong("mfa"), rs.getLong("mfa_failed"),
                rs.getLong("bare"), rs.getLong("cross_tenant"), rs.getLong("without_mfa")}).single();
        List<ComplianceReport.ProviderCoverage> coverage = cut("providersWithEvents", truncated, base.query(
                "SELECT e.provider, count(*) AS events, min(occurred_at) AS first_at, max(occurred_at) AS last_at,"
                        + counts + ", coalesce(max(w.users), 0) AS without_mfa"
                        + " FROM federation_audit_event e LEFT JOIN (SELECT provider, count(*) AS users FROM ("
                        + withoutMfa + ") u GROUP BY provider) w ON w.provider = e.provider"
                        + " WHERE " + base.where.replace("provider IN", "e.provider IN")
                        + " GROUP BY e.provider ORDER BY e.provider LIMIT " + (ReportSummary.MAX_ROWS + 1))
                .query((rs, n) -> new ComplianceReport.ProviderCoverage(rs.getString("provider"),
                        rs.getLong("events"), rs.getObject("first_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("last_at", OffsetDateTime.class).toInstant(), rs.getLong("logins"),
                        rs.getLong("mfa"), rs.getLong("mfa_failed"), rs.getLong("without_mfa")))
                .list());
        List<String> withoutEvents = new ArrayList<>();
        if (scope.providers() != null) {
            Set<String> seen = new LinkedHashSet<>();
            coverage.forEach(p -> seen.add(p.provider()));
            scope.providers().stream().filter(p -> !seen.contains(p)).sorted().forEach(withoutEvents::add);
        }
        Set<LocalDate> active = new LinkedHashSet<>(base.query("SELECT DISTINCT " + DAY + " AS day"
                        + " FROM federation_audit_event WHERE " + base.where)
                .query((rs, n) -> rs.getObject("day", LocalDate.class)).list());
        List<LocalDate> gaps = days(scope).stream().filter(d -> !active.contains(d)).toList();
        return new ComplianceReport(ReportType.COMPLIANCE, scope.start(), scope.end(), scope.providers(),
                scope.generatedAt(), totals[0], totals[1], totals[2], totals[3],
                ReportSummary.rate(totals[2], totals[1]), totals[6], totals[4], totals[5], coverage, withoutEvents,
                gaps.size(), gaps, List.copyOf(truncated));
    }

    /** The UTC days the range touches, first to last. */
    static List<LocalDate> days(Scope scope) {
        LocalDate first = LocalDate.ofInstant(scope.start(), ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(scope.end().minus(1, ChronoUnit.MICROS), ZoneOffset.UTC);
        return first.datesUntil(last.plusDays(1)).toList();
    }

    private static <T> List<T> cut(String section, List<String> truncated, List<T> rows) {
        if (rows.size() > ReportSummary.MAX_ROWS) {
            truncated.add(section);
            return List.copyOf(rows.subList(0, ReportSummary.MAX_ROWS));
        }
        return rows;
    }

    /** The tenant, range and provider conditions every query of a report shares, with their parameters. */
    private Base base(Scope scope) {
        Map<String, Object> params = new HashMap<>();
        params.put("tenant", scope.tenantId());
        params.put("start", FederatedEvents.utc(scope.start()));
        params.put("end", FederatedEvents.utc(scope.end()));
        String where = "tenant_id = :tenant AND occurred_at >= :start AND occurred_at < :end";
        if (scope.providers() != null && !scope.providers().isEmpty()) {
            where += " AND provider IN (:providers)";
            params.put("providers", scope.providers());
        }
        return new Base(where, params);
    }

    private final class Base {

        final String where;
        final Map<String, Object> params;

        Base(String where, Map<String, Object> params) {
            this.where = where;
            this.params = params;
        }

        JdbcClient.StatementSpec query(String sql) {
            return jdbc.sql(sql).params(params);
        }
    }
}
