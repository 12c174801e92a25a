package io.qnsp.search.health;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No maintenance window of the caller's tenant with that id. */
public class MaintenanceWindowNotFound extends ApiException {

    public MaintenanceWindowNotFound() {
        super(HttpStatus.NOT_FOUND, "maintenance_window_not_found", "No such maintenance window");
    }
}
