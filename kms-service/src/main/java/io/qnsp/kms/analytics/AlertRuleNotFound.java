package io.qnsp.kms.analytics;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No alert rule with that id exists for the caller's tenant (another tenant's rule is not found either). */
public class AlertRuleNotFound extends ApiException {

    AlertRuleNotFound() {
        super(HttpStatus.NOT_FOUND, "alert_rule_not_found", "No such alert rule");
    }
}
