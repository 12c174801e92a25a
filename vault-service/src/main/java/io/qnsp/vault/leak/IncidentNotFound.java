package io.qnsp.vault.leak;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No incident with that id exists for the caller's tenant (another tenant's is not found either). */
public class IncidentNotFound extends ApiException {

    IncidentNotFound() {
        super(HttpStatus.NOT_FOUND, "leak_incident_not_found", "No such leakage incident");
    }
}
