package io.qnsp.kms.escrow;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No escrow with that id exists for the caller's tenant (another tenant's is not found either). */
class EscrowNotFound extends ApiException {

    EscrowNotFound() {
        super(HttpStatus.NOT_FOUND, "escrow_not_found", "No such escrow");
    }
}
