package io.qnsp.kms.byohsm;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No HSM connection with that id exists for the caller's tenant (another tenant's is not found either). */
public class HsmConnectionNotFound extends ApiException {

    HsmConnectionNotFound() {
        super(HttpStatus.NOT_FOUND, "hsm_connection_not_found", "No such HSM connection");
    }
}
