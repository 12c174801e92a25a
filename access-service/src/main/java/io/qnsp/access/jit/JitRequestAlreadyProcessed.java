package io.qnsp.access.jit;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** The request was approved or denied already. */
public class JitRequestAlreadyProcessed extends ApiException {

    public JitRequestAlreadyProcessed() {
        super(HttpStatus.CONFLICT, "jit_request_processed", "The JIT request is no longer pending");
    }
}
