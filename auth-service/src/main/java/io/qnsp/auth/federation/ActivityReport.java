package io.qnsp.auth.federation;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened, and how much: events per provider, event type and UTC day (every day of the range listed, zeros
 * included). {@code distinctUsers} counts distinct (provider, userId) pairs.
 */
record ActivityReport(ReportType reportType, Instant startDate, Instant endDate,
                      @Nullable List<String> providers, Instant generatedAt, long totalEvents, long successes,
                      long failures, long distinctUsers, long crossTenantEvents, List<ProviderActivity> byProvider,
                      List<TypeActivity> byEventType, List<DayActivity> byDay, List<String> truncatedSections)
        implements ReportSummary {

    record ProviderActivity(String provider, long events, long successes, long failures, long distinctUsers) {
    }

    record TypeActivity(String eventType, long events, long successes, long failures) {
    }

    record DayActivity(LocalDate date, long events, long successes, long failures) {
    }

    @Override
    public List<CsvRow> bodyRows() {
        List<CsvRow> rows = new ArrayList<>();
        rows.add(CsvRow.of("summary", "totalEvents", totalEvents));
        rows.add(CsvRow.of("summary", "successes", successes));
        rows.add(CsvRow.of("summary", "failures", failures));
        rows.add(CsvRow.of("summary", "distinctUsers", distinctUsers));
        rows.add(CsvRow.of("summary", "crossTenantEvents", crossTenantEvents));
        for (ProviderActivity p : byProvider) {
            rows.add(new CsvRow("provider", p.provider(), "", "events", p.events()));
            rows.add(new CsvRow("provider", p.provider(), "", "successes", p.successes()));
            rows.add(new CsvRow("provider", p.provider(), "", "failures", p.failures()));
            rows.add(new CsvRow("provider", p.provider(), "", "distinctUsers", p.distinctUsers()));
        }
        for (TypeActivity t : byEventType) {
            rows.add(new CsvRow("eventType", "", t.eventType(), "events", t.events()));
            rows.add(new CsvRow("eventType", "", t.eventType(), "successes", t.successes()));
            rows.add(new CsvRow("eventType", "", t.eventType(), "failures", t.failures()));
        }
        for (DayActivity d : byDay) {
            rows.add(new CsvRow("day", "", d.date().toString(), "events", d.events()));
            rows.add(new CsvRow("day", "", d.date().toString(), "successes", d.successes()));
            rows.add(new CsvRow("day", "", d.date().toString(), "failures", d.failures()));
        }
        for (String section : truncatedSections) {
            rows.add(CsvRow.of("truncated", section, true));
        }
        return rows;
    }
}
