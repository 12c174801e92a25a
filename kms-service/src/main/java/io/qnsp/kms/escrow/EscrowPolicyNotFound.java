package io.qnsp.kms.escrow;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No escrow policy with that id exists for the caller's tenant (another tenant's is not found either). */
class EscrowPolicyNotFound extends ApiException {

    EscrowPolicyNotFound() {
        super(HttpStatus.NOT_FOUND, "escrow_policy_not_found", "No such escrow policy");
    }
}
