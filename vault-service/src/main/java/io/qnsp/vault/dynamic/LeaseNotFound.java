package io.qnsp.vault.dynamic;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No lease with that id exists for the caller's tenant (another tenant's is not found either). */
public class LeaseNotFound extends ApiException {

    LeaseNotFound() {
        super(HttpStatus.NOT_FOUND, "lease_not_found", "No such lease");
    }
}
