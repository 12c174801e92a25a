package io.qnsp.access.jit;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** The grant was revoked or has expired. */
public class JitGrantNotActive extends ApiException {

    public JitGrantNotActive() {
        super(HttpStatus.CONFLICT, "jit_grant_not_active", "The JIT grant is no longer active");
    }
}
