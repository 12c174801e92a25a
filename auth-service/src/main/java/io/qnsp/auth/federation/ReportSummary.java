package io.qnsp.auth.federation;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The computed content of a report: serialized as its JSON {@code data}, and flattened into CSV rows of
 * {@code section, provider, item, metric, value}.
 */
sealed interface ReportSummary permits ActivityReport, SecurityReport, ComplianceReport {

    /** Lists longer than this are cut, and the section named in {@code truncatedSections}. */
    int MAX_ROWS = 1000;

    ReportType reportType();

    Instant startDate();

    Instant endDate();

    @Nullable
    List<String> providers();

    Instant generatedAt();

    /** The rows after the report's own description rows. */
    List<CsvRow> bodyRows();

    default List<CsvRow> csvRows() {
        List<CsvRow> rows = new ArrayList<>();
        rows.add(CsvRow.of("report", "reportType", reportType().value()));
        rows.add(CsvRow.of("report", "startDate", startDate()));
        rows.add(CsvRow.of("report", "endDate", endDate()));
        rows.add(CsvRow.of("report", "providers", providers() == null ? "" : String.join(";", providers())));
        rows.add(CsvRow.of("report", "generatedAt", generatedAt()));
        rows.addAll(bodyRows());
        return rows;
    }

    /** One CSV line; {@code provider} and {@code item} are empty where they do not apply. */
    record CsvRow(String section, String provider, String item, String metric, Object value) {

        static CsvRow of(String section, String metric, Object value) {
            return new CsvRow(section, "", "", metric, value);
        }
    }

    /** failures / events, to four decimals; 0 without events. */
    static double rate(long part, long whole) {
        if (whole == 0) {
            return 0.0;
        }
        return java.math.BigDecimal.valueOf(part)
                .divide(java.math.BigDecimal.valueOf(whole), 4, java.math.RoundingMode.HALF_UP).doubleValue();
    }
}
