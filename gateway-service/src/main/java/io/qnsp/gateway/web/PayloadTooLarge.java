package io.qnsp.gateway.web;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The request body is longer than {@code qnsp.gateway.max-request-body} allows. */
class PayloadTooLarge extends ApiException {

    PayloadTooLarge(long limit) {
        super(HttpStatus.CONTENT_TOO_LARGE, ErrorCodes.PAYLOAD_TOO_LARGE,
                "The request body exceeds the limit of " + limit + " bytes",
                Map.of("field", "body", "limitBytes", limit));
    }
}
