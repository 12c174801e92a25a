package io.qnsp.audit.retention;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The owner holds as many retention policies as it may; one must be deleted first. */
class RetentionPolicyLimitReached extends ApiException {

    RetentionPolicyLimitReached(int limit) {
        super(HttpStatus.CONFLICT, ErrorCodes.CONFLICT, "The maximum of " + limit
                + " retention policies is reached", Map.of("limit", limit));
    }
}
