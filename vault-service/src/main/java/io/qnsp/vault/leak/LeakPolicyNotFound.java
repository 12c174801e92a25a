package io.qnsp.vault.leak;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No leak detection policy with that id exists for the caller's tenant (another tenant's is not found either). */
public class LeakPolicyNotFound extends ApiException {

    LeakPolicyNotFound() {
        super(HttpStatus.NOT_FOUND, "leak_policy_not_found", "No such leak detection policy");
    }
}
