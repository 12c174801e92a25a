package io.qnsp.auth.federation;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportFilesTests {

    @Test
    void cellsWithSeparatorsQuotesOrLineBreaksAreQuoted() {
        assertThat(ReportFiles.cell("okta")).isEqualTo("okta");
        assertThat(ReportFiles.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(ReportFiles.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(ReportFiles.cell("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(ReportFiles.cell("")).isEmpty();
        assertThat(ReportFiles.cell(null)).isEmpty();
    }

    @Test
    void textASpreadsheetWouldEvaluateIsNeutralized() {
        assertThat(ReportFiles.cell("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assertThat(ReportFiles.cell("+1")).isEqualTo("'+1");
        assertThat(ReportFiles.cell("-2")).isEqualTo("'-2");
        assertThat(ReportFiles.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    }

    @Test
    void numbersAreWrittenAsNumbersAndRowsEndWithCrLf() {
        byte[] csv = ReportFiles.csv(List.of(
                new ReportSummary.CsvRow("summary", "", "", "totalEvents", 11L),
                new ReportSummary.CsvRow("summary", "", "", "failureRate", 0.4545),
                new ReportSummary.CsvRow("provider", "=evil", "", "events", 3L),
                new ReportSummary.CsvRow("repeatedFailures", "okta", "bob, jr.", "failures", 3L)));
        assertThat(new String(csv, StandardCharsets.UTF_8)).isEqualTo(
                "section,provider,item,metric,value\r\n"
                        + "summary,,,totalEvents,11\r\n"
                        + "summary,,,failureRate,0.4545\r\n"
                        + "provider,'=evil,,events,3\r\n"
                        + "repeatedFailures,okta,\"bob, jr.\",failures,3\r\n");
    }

    @Test
    void ratesAreRoundedToFourDecimalsAndZeroWithoutEvents() {
        assertThat(ReportSummary.rate(5, 11)).isEqualTo(0.4545);
        assertThat(ReportSummary.rate(2, 3)).isEqualTo(0.6667);
        assertThat(ReportSummary.rate(1, 2)).isEqualTo(0.5);
        assertThat(ReportSummary.rate(0, 0)).isEqualTo(0.0);
    }
}
