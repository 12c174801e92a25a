package io.qnsp.storage.object;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The upload is longer than {@code qnsp.storage.max-object-size}; nothing was stored. */
class ObjectTooLarge extends ApiException {

    ObjectTooLarge(long limit) {
        super(HttpStatus.CONTENT_TOO_LARGE, ErrorCodes.PAYLOAD_TOO_LARGE, "The object is larger than " + limit + " bytes",
                Map.of("field", "body", "limitBytes", limit));
    }
}
