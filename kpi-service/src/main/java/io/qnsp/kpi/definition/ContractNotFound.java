package io.qnsp.kpi.definition;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.List;
import java.util.Map;

/** The KPI has no contract version of this name. */
public class ContractNotFound extends ApiException {

    ContractNotFound(String field, List<String> published) {
        super(HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, "The KPI has no contract of this version",
                Map.of("field", field, "contracts", published));
    }
}
