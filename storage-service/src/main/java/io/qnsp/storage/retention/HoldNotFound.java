package io.qnsp.storage.retention;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** The tenant has no legal hold of that id. */
class HoldNotFound extends ApiException {

    HoldNotFound() {
        super(HttpStatus.NOT_FOUND, "legal_hold_not_found", "No such legal hold");
    }
}
