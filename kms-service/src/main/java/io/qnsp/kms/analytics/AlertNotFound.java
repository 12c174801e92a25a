package io.qnsp.kms.analytics;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No alert with that id exists for the caller's tenant (another tenant's alert is not found either). */
public class AlertNotFound extends ApiException {

    AlertNotFound() {
        super(HttpStatus.NOT_FOUND, "alert_not_found", "No such alert");
    }
}
