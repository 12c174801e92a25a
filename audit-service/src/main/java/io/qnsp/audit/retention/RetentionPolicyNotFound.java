package io.qnsp.audit.retention;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The caller owns no retention policy with this id (another owner's policy is not told apart from none). */
class RetentionPolicyNotFound extends ApiException {

    RetentionPolicyNotFound() {
        super(HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, "No retention policy with this id",
                Map.of("field", "policyId"));
    }
}
