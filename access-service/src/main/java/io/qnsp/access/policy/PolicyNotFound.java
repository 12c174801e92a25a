package io.qnsp.access.policy;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No policy with that id exists for the caller's tenant (another tenant's policy is not found either). */
public class PolicyNotFound extends ApiException {

    public PolicyNotFound() {
        super(HttpStatus.NOT_FOUND, "policy_not_found", "No such policy");
    }
}
