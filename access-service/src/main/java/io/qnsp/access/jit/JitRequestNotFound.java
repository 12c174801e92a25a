package io.qnsp.access.jit;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No JIT request with that id exists for the caller's tenant. */
public class JitRequestNotFound extends ApiException {

    public JitRequestNotFound() {
        super(HttpStatus.NOT_FOUND, "jit_request_not_found", "No such JIT request");
    }
}
