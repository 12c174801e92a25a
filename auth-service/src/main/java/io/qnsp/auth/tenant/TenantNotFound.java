package io.qnsp.auth.tenant;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No such tenant for the caller (another tenant's id answers the same). */
public class TenantNotFound extends ApiException {

    TenantNotFound() {
        super(HttpStatus.NOT_FOUND, "not_found", "No such tenant");
    }
}
