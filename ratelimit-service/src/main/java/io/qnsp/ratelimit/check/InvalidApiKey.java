package io.qnsp.ratelimit.check;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** The presented key is unknown or disabled (deliberately not told apart). */
public class InvalidApiKey extends ApiException {

    InvalidApiKey() {
        super(HttpStatus.UNAUTHORIZED, "invalid_api_key", "Unknown or disabled API key");
    }
}
