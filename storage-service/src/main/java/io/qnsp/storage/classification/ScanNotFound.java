package io.qnsp.storage.classification;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** The tenant has no scan of that id. */
class ScanNotFound extends ApiException {

    ScanNotFound() {
        super(HttpStatus.NOT_FOUND, "scan_not_found", "No such classification scan");
    }
}
