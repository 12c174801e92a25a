package io.qnsp.audit.webhook;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

/** Webhooks belong to a tenant, and the caller (e.g. a platform operator) has none. */
class TenantRequired extends ApiException {

    TenantRequired() {
        super(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN, "Webhooks belong to a tenant; the caller has none");
    }
}
