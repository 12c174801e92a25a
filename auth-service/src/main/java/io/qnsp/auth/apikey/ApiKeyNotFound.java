package io.qnsp.auth.apikey;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The caller's tenant has no key with this id (another tenant's key is not told apart from none). */
class ApiKeyNotFound extends ApiException {

    ApiKeyNotFound() {
        super(HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, "No API key with this id", Map.of("field", "id"));
    }
}
