package io.qnsp.common.security;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

/**
 * A tenant's data (keys, secrets, risk signals) is read and changed only by a caller that belongs to the tenant: a
 * caller without one (the platform's admin token) has none to act on and is refused with 403.
 */
public class TenantRequired extends ApiException {

    private TenantRequired() {
        super(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN, "This operation needs a caller that belongs to a tenant");
    }

    /** The caller's tenant, which scopes every read and write the operation makes. */
    public static String tenantOf(Caller caller) {
        if (caller == null || caller.tenantId() == null || caller.tenantId().isBlank()) {
            throw new TenantRequired();
        }
        return caller.tenantId();
    }
}
