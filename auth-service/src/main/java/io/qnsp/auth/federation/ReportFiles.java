package io.qnsp.auth.federation;

import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Renders a report's summary to its downloadable file: pretty-printed JSON, or RFC 4180 CSV (UTF-8, CRLF) with the
 * columns {@code section,provider,item,metric,value}. Text cells a spreadsheet would read as a formula (starting
 * with {@code = + - @}, tab or carriage return) get a leading apostrophe, since provider and user names come from
 * outside.
 */
@Component
class ReportFiles {

    static final String CSV_HEADER = "section,provider,item,metric,value";

    private final JsonMapper json;

    ReportFiles(JsonMapper json) {
        this.json = json;
    }

    /** The summary as stored in {@code data}. */
    String data(ReportSummary summary) {
        return json.writeValueAsString(summary);
    }

    byte[] render(ReportSummary summary, ReportFormat format) {
        return switch (format) {
            case JSON -> json.writerWithDefaultPrettyPrinter().writeValueAsBytes(summary);
            case CSV -> csv(summary.csvRows());
        };
    }

    static byte[] csv(List<ReportSummary.CsvRow> rows) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append("\r\n");
        for (ReportSummary.CsvRow row : rows) {
            out.append(cell(row.section())).append(',')
                    .append(cell(row.provider())).append(',')
                    .append(cell(row.item())).append(',')
                    .append(cell(row.metric())).append(',')
                    .append(row.value() instanceof Number || row.value() instanceof Boolean
                            ? row.value().toString() : cell(String.valueOf(row.value())))
                    .append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = value;
        char first = text.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            text = "'" + text;
        }
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
