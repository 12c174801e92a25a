package io.qnsp.kms.byohsm;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No key on an external HSM with that id exists for the caller's tenant. */
public class HsmKeyNotFound extends ApiException {

    HsmKeyNotFound() {
        super(HttpStatus.NOT_FOUND, "hsm_key_not_found", "No such HSM key");
    }
}
