package io.qnsp.audit.retention;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

/** Retention acts on a tenant's events: a token without a tenant (other than the admin token) has none. */
class TenantRequired extends ApiException {

    TenantRequired() {
        super(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN,
                "This operation needs a caller that belongs to a tenant (or the platform admin token)");
    }
}
