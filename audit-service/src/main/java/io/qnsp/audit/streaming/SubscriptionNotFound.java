package io.qnsp.audit.streaming;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The caller's tenant has no subscription with this id (another tenant's is not told apart from none). */
class SubscriptionNotFound extends ApiException {

    SubscriptionNotFound(String field) {
        super(HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, "No streaming subscription with this id",
                Map.of("field", field));
    }
}
