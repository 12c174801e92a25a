package io.qnsp.storage.retention;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already has a retention policy of that name. */
class RetentionPolicyNameTaken extends ApiException {

    RetentionPolicyNameTaken() {
        super(HttpStatus.CONFLICT, "policy_name_taken", "A retention policy with this name already exists",
                Map.of("field", "name"));
    }
}
