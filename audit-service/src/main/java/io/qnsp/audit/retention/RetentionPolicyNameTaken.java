package io.qnsp.audit.retention;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The owner already has a retention policy of that name. */
class RetentionPolicyNameTaken extends ApiException {

    RetentionPolicyNameTaken() {
        super(HttpStatus.CONFLICT, ErrorCodes.CONFLICT, "A retention policy with this name already exists",
                Map.of("field", "name"));
    }
}
