package io.qnsp.vault.leak;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already has a leak detection policy of that name. */
public class LeakPolicyNameTaken extends ApiException {

    LeakPolicyNameTaken() {
        super(HttpStatus.CONFLICT, "leak_policy_name_taken", "The tenant already has a leak detection policy of this "
                + "name", Map.of("field", "name"));
    }
}
