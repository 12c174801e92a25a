package io.qnsp.auth.federation;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The report's file does not exist: it is still pending, or its generation failed. */
public class ReportNotReady extends ApiException {

    ReportNotReady(ReportStatus status) {
        super(HttpStatus.CONFLICT, "report_not_ready", status == ReportStatus.FAILED
                        ? "The report failed and has no file" : "The report is still being generated",
                Map.of("status", status.value()));
    }
}
