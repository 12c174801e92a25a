package io.qnsp.auth.federation;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the audit trail is complete and MFA is enforced: which providers reported events (and, when the report
 * names providers, which of them reported none), MFA challenges against successful logins, users who logged in
 * without passing any MFA challenge in the range (per provider), UTC days without a single event (logging gaps),
 * events recorded without metadata, and events in other tenants.
 */
record ComplianceReport(ReportType reportType, Instant startDate, Instant endDate,
                        @Nullable List<String> providers, Instant generatedAt, long totalEvents, long successfulLogins, long mfaChallenges,
                        long mfaChallengeFailures, double mfaChallengesPerSuccessfulLogin,
                        long usersWithLoginWithoutMfa, long eventsWithoutMetadata, long crossTenantEvents,
                        List<ProviderCoverage> providersWithEvents, List<String> providersWithoutEvents,
                        long daysWithoutEvents, List<LocalDate> datesWithoutEvents, List<String> truncatedSections)
        implements ReportSummary {

    record ProviderCoverage(String provider, long events, Instant firstEventAt, Instant lastEventAt,
                            long successfulLogins, long mfaChallenges, long mfaChallengeFailures,
                            long usersWithLoginWithoutMfa) {
    }

    @Override
    public List<CsvRow> bodyRows() {
        List<CsvRow> rows = new ArrayList<>();
        rows.add(CsvRow.of("summary", "totalEvents", totalEvents));
        rows.add(CsvRow.of("summary", "successfulLogins", successfulLogins));
        rows.add(CsvRow.of("summary", "mfaChallenges", mfaChallenges));
        rows.add(CsvRow.of("summary", "mfaChallengeFailures", mfaChallengeFailures));
        rows.add(CsvRow.of("summary", "mfaChallengesPerSuccessfulLogin", mfaChallengesPerSuccessfulLogin));
        rows.add(CsvRow.of("summary", "usersWithLoginWithoutMfa", usersWithLoginWithoutMfa));
        rows.add(CsvRow.of("summary", "eventsWithoutMetadata", eventsWithoutMetadata));
        rows.add(CsvRow.of("summary", "crossTenantEvents", crossTenantEvents));
        rows.add(CsvRow.of("summary", "daysWithoutEvents", daysWithoutEvents));
        for (ProviderCoverage p : providersWithEvents) {
            rows.add(new CsvRow("provider", p.provider(), "", "events", p.events()));
            rows.add(new CsvRow("provider", p.provider(), "", "firstEventAt", p.firstEventAt()));
            rows.add(new CsvRow("provider", p.provider(), "", "lastEventAt", p.lastEventAt()));
            rows.add(new CsvRow("provider", p.provider(), "", "successfulLogins", p.successfulLogins()));
            rows.add(new CsvRow("provider", p.provider(), "", "mfaChallenges", p.mfaChallenges()));
            rows.add(new CsvRow("provider", p.provider(), "", "mfaChallengeFailures", p.mfaChallengeFailures()));
            rows.add(new CsvRow("provider", p.provider(), "", "usersWithLoginWithoutMfa",
                    p.usersWithLoginWithoutMfa()));
        }
        for (String provider : providersWithoutEvents) {
            rows.add(new CsvRow("providerWithoutEvents", provider, "", "events", 0));
        }
        for (LocalDate date : datesWithoutEvents) {
            rows.add(new CsvRow("dayWithoutEvents", "", date.toString(), "events", 0));
        }
        for (String section : truncatedSections) {
            rows.add(CsvRow.of("truncated", section, true));
        }
        return rows;
    }
}
