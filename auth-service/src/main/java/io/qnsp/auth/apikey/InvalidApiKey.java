package io.qnsp.auth.apikey;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/**
 * A presented API key does not authenticate: unknown, revoked, expired or past its deprecation, deliberately not told
 * apart. Its code, {@code invalid_api_key}, differs from a rejected bearer token's, so the gateway calling
 * verification can tell a bad key from a problem with its own credentials.
 */
public class InvalidApiKey extends ApiException {

    public static final String CODE = "invalid_api_key";

    public InvalidApiKey() {
        super(HttpStatus.UNAUTHORIZED, CODE, "The API key is invalid, expired or revoked");
    }
}
