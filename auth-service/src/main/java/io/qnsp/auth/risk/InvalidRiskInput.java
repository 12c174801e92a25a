package io.qnsp.auth.risk;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A request field holds a value the risk engine cannot use; the field is named as the API spells it. */
public class InvalidRiskInput extends ApiException {

    public InvalidRiskInput(String field, String problem) {
        this(field, problem, Map.of());
    }

    InvalidRiskInput(String field, String problem, Map<String, Object> extra) {
        super(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, "Validation failed: " + field + " " + problem,
                details(field, problem, extra));
    }

    private static Map<String, Object> details(String field, String problem, Map<String, Object> extra) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", field);
        details.put("fields", List.of(Map.of("field", field, "message", problem)));
        details.putAll(extra);
        return details;
    }
}
