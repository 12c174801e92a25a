package io.qnsp.common.security;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

/** The operation needs an authenticated caller and the request has none. */
public class AuthenticationRequired extends ApiException {

    public AuthenticationRequired() {
        super(HttpStatus.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED, "Authentication is required");
    }
}
