package io.qnsp.auth.risk;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already has a policy of that name. */
public class PolicyNameTaken extends ApiException {

    PolicyNameTaken() {
        super(HttpStatus.CONFLICT, ErrorCodes.CONFLICT, "A risk policy with this name already exists",
                Map.of("field", "name"));
    }
}
