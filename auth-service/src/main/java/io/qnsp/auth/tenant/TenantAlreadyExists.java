package io.qnsp.auth.tenant;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A tenant with that id exists already. */
public class TenantAlreadyExists extends ApiException {

    TenantAlreadyExists() {
        super(HttpStatus.CONFLICT, "conflict", "A tenant with this id already exists", Map.of("field", "id"));
    }
}
