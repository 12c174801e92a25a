package io.qnsp.auth.federation;

import io.qnsp.common.error.InvalidField;

import java.util.Map;

/** A report format the service cannot produce (e.g. {@code pdf}). */
public class UnsupportedReportFormat extends InvalidField {

    static final String FIELD = "format";

    UnsupportedReportFormat() {
        super(FIELD, problem(), Map.of("allowedValues", ReportFormat.names()));
    }

    private static String problem() {
        return "is not supported; supported formats: " + String.join(", ", ReportFormat.names());
    }
}
