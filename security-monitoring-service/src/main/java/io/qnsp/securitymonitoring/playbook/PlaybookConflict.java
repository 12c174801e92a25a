package io.qnsp.securitymonitoring.playbook;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A playbook name taken in the tenant, or an execution not waiting for approval: 409. */
class PlaybookConflict extends ApiException {

    PlaybookConflict(String message, String field, String value) {
        super(HttpStatus.CONFLICT, ErrorCodes.CONFLICT, message, Map.of(field, value));
    }
}
