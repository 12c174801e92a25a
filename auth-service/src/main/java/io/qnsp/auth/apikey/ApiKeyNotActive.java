package io.qnsp.auth.apikey;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** Only an active key can be rotated: this one is deprecated, revoked or expired. */
class ApiKeyNotActive extends ApiException {

    ApiKeyNotActive(ApiKeyStatus status) {
        super(HttpStatus.CONFLICT, ErrorCodes.CONFLICT, "Only an active key can be rotated; this key is "
                + status.value(), Map.of("status", status.value()));
    }
}
