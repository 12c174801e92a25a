package io.qnsp.kms;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.security.Caller;
import org.springframework.http.HttpStatus;

/** Keys belong to a tenant: a caller without one (the platform's admin token) has none to act on. */
public class TenantRequired extends ApiException {

    private TenantRequired() {
        super(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN, "This operation needs a caller that belongs to a tenant");
    }

    /** The caller's tenant. */
    public static String tenantOf(Caller caller) {
        if (caller == null || caller.tenantId() == null || caller.tenantId().isBlank()) {
            throw new TenantRequired();
        }
        return caller.tenantId();
    }
}
