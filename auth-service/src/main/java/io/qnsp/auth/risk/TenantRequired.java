package io.qnsp.auth.risk;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.security.Caller;
import org.springframework.http.HttpStatus;

/** Risk data belongs to a tenant: a caller without one (a platform operator) has none to act on. */
public class TenantRequired extends ApiException {

    TenantRequired() {
        super(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN, "This operation needs a caller that belongs to a tenant");
    }

    /** The caller's tenant, which scopes every read and write of risk data. */
    static String tenantOf(Caller caller) {
        if (caller == null || caller.tenantId() == null || caller.tenantId().isBlank()) {
            throw new TenantRequired();
        }
        return caller.tenantId();
    }
}
