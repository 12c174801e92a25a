package io.qnsp.common.web;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The request body is longer than {@code qnsp.web.max-request-body} allows. */
class RequestBodyTooLarge extends ApiException {

    RequestBodyTooLarge(long limit) {
        super(HttpStatus.CONTENT_TOO_LARGE, ErrorCodes.PAYLOAD_TOO_LARGE,
                "The request body exceeds the limit of " + limit + " bytes",
                Map.of("field", "body", "limitBytes", limit));
    }
}
