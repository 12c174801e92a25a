package io.qnsp.auth.risk;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

/** The caller's tenant has no policy with that id. */
public class PolicyNotFound extends ApiException {

    PolicyNotFound() {
        super(HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, "No such risk policy");
    }
}
