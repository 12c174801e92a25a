package io.qnsp.auth.risk;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant holds as many policies as it may; one must be deleted first. */
public class PolicyLimitReached extends ApiException {

    PolicyLimitReached(int limit) {
        super(HttpStatus.CONFLICT, ErrorCodes.CONFLICT, "The tenant already holds the maximum of " + limit
                + " risk policies", Map.of("limit", limit));
    }
}
