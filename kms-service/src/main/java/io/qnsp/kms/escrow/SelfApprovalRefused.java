package io.qnsp.kms.escrow;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** The caller who asked for a recovery cannot decide on it: four eyes, always. */
class SelfApprovalRefused extends ApiException {

    SelfApprovalRefused() {
        super(HttpStatus.FORBIDDEN, "self_approval_refused",
                "The caller who initiated a recovery cannot approve or deny it");
    }
}
