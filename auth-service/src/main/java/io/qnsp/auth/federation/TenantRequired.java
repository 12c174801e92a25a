package io.qnsp.auth.federation;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

/** The caller's credentials name no tenant, and federated audit data always belongs to one. */
public class TenantRequired extends ApiException {

    TenantRequired() {
        super(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN, "Federated audit requires credentials of a tenant");
    }
}
