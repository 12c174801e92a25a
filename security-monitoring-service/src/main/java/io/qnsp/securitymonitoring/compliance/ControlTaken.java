package io.qnsp.securitymonitoring.compliance;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already has a control of that id in the framework: 409. */
class ControlTaken extends ApiException {

    ControlTaken(String framework, String controlId) {
        super(HttpStatus.CONFLICT, ErrorCodes.CONFLICT, "the tenant already has control " + controlId + " of "
                + framework, Map.of("controlId", controlId, "framework", framework));
    }
}
