package io.qnsp.auth.risk;

import io.qnsp.common.error.InvalidField;

import java.util.Map;

/** A request field holds a value the risk engine cannot use; the field is named as the API spells it. */
public class InvalidRiskInput extends InvalidField {

    public InvalidRiskInput(String field, String problem) {
        super(field, problem);
    }

    InvalidRiskInput(String field, String problem, Map<String, Object> extra) {
        super(field, problem, extra);
    }
}
