package io.qnsp.access.jit;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No JIT grant with that id exists for the caller's tenant. */
public class JitGrantNotFound extends ApiException {

    public JitGrantNotFound() {
        super(HttpStatus.NOT_FOUND, "jit_grant_not_found", "No such JIT grant");
    }
}
