package io.qnsp.cryptoinventory.deprecation;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already has a deprecation policy of this name: 409. */
class PolicyNameTaken extends ApiException {

    PolicyNameTaken(String name) {
        super(HttpStatus.CONFLICT, "policy_name_taken", "a deprecation policy named '" + name + "' already exists",
                Map.of("field", "name"));
    }
}
