package io.qnsp.ratelimit.apikey;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The {@code key} path segment is neither an API key nor a key id. */
public class MalformedKeyReference extends ApiException {

    MalformedKeyReference() {
        super(HttpStatus.BAD_REQUEST, "invalid_request",
                "key must be an API key (RAT-…) or a key id (UUID)", Map.of("field", "key"));
    }
}
