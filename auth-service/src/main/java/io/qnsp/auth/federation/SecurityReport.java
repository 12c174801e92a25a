package io.qnsp.auth.federation;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where authentication fails: failure rates overall and per provider, failures per event type, failed MFA
 * challenges, and the users (per provider) with at least {@code repeatedFailureThreshold} failures, most first
 * ({@code usersWithRepeatedFailures} lists at most {@link ReportSummary#MAX_ROWS}; {@code
 * usersWithRepeatedFailuresCount} counts them all).
 */
record SecurityReport(ReportType reportType, Instant startDate, Instant endDate,
                      @Nullable List<String> providers, Instant generatedAt, long totalEvents, long failures,
                      double failureRate,
                      long mfaChallengeFailures, int repeatedFailureThreshold, long usersWithRepeatedFailuresCount,
                      List<ProviderFailures> byProvider, List<TypeFailures> failuresByEventType,
                      List<UserFailures> usersWithRepeatedFailures, List<String> truncatedSections)
        implements ReportSummary {

    record ProviderFailures(String provider, long events, long failures, double failureRate) {
    }

    record TypeFailures(String eventType, long failures) {
    }

    record UserFailures(String provider, String userId, long failures, Instant lastFailureAt) {
    }

    @Override
    public List<CsvRow> bodyRows() {
        List<CsvRow> rows = new ArrayList<>();
        rows.add(CsvRow.of("summary", "totalEvents", totalEvents));
        rows.add(CsvRow.of("summary", "failures", failures));
        rows.add(CsvRow.of("summary", "failureRate", failureRate));
        rows.add(CsvRow.of("summary", "mfaChallengeFailures", mfaChallengeFailures));
        rows.add(CsvRow.of("summary", "repeatedFailureThreshold", repeatedFailureThreshold));
        rows.add(CsvRow.of("summary", "usersWithRepeatedFailures", usersWithRepeatedFailuresCount));
        for (ProviderFailures p : byProvider) {
            rows.add(new CsvRow("provider", p.provider(), "", "events", p.events()));
            rows.add(new CsvRow("provider", p.provider(), "", "failures", p.failures()));
            rows.add(new CsvRow("provider", p.provider(), "", "failureRate", p.failureRate()));
        }
        for (TypeFailures t : failuresByEventType) {
            rows.add(new CsvRow("eventType", "", t.eventType(), "failures", t.failures()));
        }
        for (UserFailures u : usersWithRepeatedFailures) {
            rows.add(new CsvRow("repeatedFailures", u.provider(), u.userId(), "failures", u.failures()));
            rows.add(new CsvRow("repeatedFailures", u.provider(), u.userId(), "lastFailureAt", u.lastFailureAt()));
        }
        for (String section : truncatedSections) {
            rows.add(CsvRow.of("truncated", section, true));
        }
        return rows;
    }
}
