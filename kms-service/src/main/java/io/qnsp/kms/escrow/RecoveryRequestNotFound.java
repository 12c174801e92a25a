package io.qnsp.kms.escrow;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No recovery request with that id exists for the caller's tenant (another tenant's is not found either). */
class RecoveryRequestNotFound extends ApiException {

    RecoveryRequestNotFound() {
        super(HttpStatus.NOT_FOUND, "recovery_request_not_found", "No such recovery request");
    }
}
