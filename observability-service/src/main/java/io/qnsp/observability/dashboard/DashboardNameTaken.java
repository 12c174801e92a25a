package io.qnsp.observability.dashboard;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already has a dashboard of that name. */
public class DashboardNameTaken extends ApiException {

    public DashboardNameTaken(String name) {
        super(HttpStatus.CONFLICT, "dashboard_exists", "A dashboard with this name exists already",
                Map.of("field", "name", "name", name));
    }
}
