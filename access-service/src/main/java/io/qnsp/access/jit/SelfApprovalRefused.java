package io.qnsp.access.jit;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** The approver of a request is never its requester. */
public class SelfApprovalRefused extends ApiException {

    public SelfApprovalRefused() {
        super(HttpStatus.FORBIDDEN, "self_approval_refused", "A requester cannot approve or deny their own JIT request");
    }
}
