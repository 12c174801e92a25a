package io.qnsp.observability.anomaly;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already has an anomaly-detection rule of that name. */
public class RuleNameTaken extends ApiException {

    public RuleNameTaken(String name) {
        super(HttpStatus.CONFLICT, "anomaly_rule_exists", "An anomaly-detection rule with this name exists already",
                Map.of("field", "name", "name", name));
    }
}
