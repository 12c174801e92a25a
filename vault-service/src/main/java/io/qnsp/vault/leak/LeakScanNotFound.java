package io.qnsp.vault.leak;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No scan with that id exists for the caller's tenant (another tenant's is not found either). */
public class LeakScanNotFound extends ApiException {

    LeakScanNotFound() {
        super(HttpStatus.NOT_FOUND, "leak_scan_not_found", "No such leakage detection scan");
    }
}
