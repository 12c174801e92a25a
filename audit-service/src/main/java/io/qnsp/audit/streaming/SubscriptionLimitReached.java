package io.qnsp.audit.streaming;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already has as many subscriptions as one tenant may have. */
class SubscriptionLimitReached extends ApiException {

    SubscriptionLimitReached(int limit) {
        super(HttpStatus.CONFLICT, ErrorCodes.CONFLICT,
                "The tenant already has the most streaming subscriptions allowed (" + limit + ")",
                Map.of("limit", limit));
    }
}
