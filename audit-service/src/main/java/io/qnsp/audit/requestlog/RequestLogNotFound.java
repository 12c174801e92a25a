package io.qnsp.audit.requestlog;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The caller's tenant has no request log with this id (another tenant's entry is not told apart from none). */
class RequestLogNotFound extends ApiException {

    RequestLogNotFound() {
        super(HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, "No request log with this id", Map.of("field", "id"));
    }
}
