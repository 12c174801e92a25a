package io.qnsp.kpi.definition;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant has no KPI of this name, and the platform defines none (another tenant's KPIs are never found). */
public class KpiNotFound extends ApiException {

    KpiNotFound(String field) {
        super(HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, "No KPI of this name exists", Map.of("field", field));
    }
}
