package io.qnsp.kpi.definition;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The platform's KPIs are defined and fed by the platform: a tenant neither publishes their contracts nor ingests into them. */
public class PlatformKpiReadOnly extends ApiException {

    public PlatformKpiReadOnly(String field) {
        super(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN, "The platform's KPIs are fed by the platform only",
                Map.of("field", field));
    }
}
