package io.qnsp.ratelimit.apikey;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A limit value outside the supported range. */
public class InvalidLimits extends ApiException {

    InvalidLimits(String field, String message) {
        super(HttpStatus.BAD_REQUEST, "invalid_request", message, Map.of("field", field));
    }
}
