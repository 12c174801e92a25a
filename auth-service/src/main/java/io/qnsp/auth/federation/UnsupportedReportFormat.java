package io.qnsp.auth.federation;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A report format the service cannot produce (e.g. {@code pdf}). */
public class UnsupportedReportFormat extends ApiException {

    static final String FIELD = "format";

    UnsupportedReportFormat() {
        super(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST,
                FieldProblems.message(FIELD, problem()),
                FieldProblems.details(FIELD, problem(), Map.of("allowedValues", ReportFormat.names())));
    }

    private static String problem() {
        return "is not supported; supported formats: " + String.join(", ", ReportFormat.names());
    }
}
