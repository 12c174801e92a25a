package io.qnsp.auth.federation;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No report with that id exists for the caller's tenant. */
public class ReportNotFound extends ApiException {

    ReportNotFound() {
        super(HttpStatus.NOT_FOUND, "report_not_found", "No such federation audit report");
    }
}
