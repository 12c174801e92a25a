package io.qnsp.storage.classification;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already has a classification policy of that name. */
class PolicyNameTaken extends ApiException {

    PolicyNameTaken() {
        super(HttpStatus.CONFLICT, "policy_name_taken", "A classification policy with this name already exists",
                Map.of("field", "name"));
    }
}
