package io.qnsp.ratelimit.apikey;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No key with that value or id exists for the caller. */
public class ApiKeyNotFound extends ApiException {

    ApiKeyNotFound() {
        super(HttpStatus.NOT_FOUND, "api_key_not_found", "No such API key");
    }
}
