package io.qnsp.ratelimit.apikey;

import io.qnsp.common.error.InvalidField;

/** A limit value outside the supported range. */
public class InvalidLimits extends InvalidField {

    InvalidLimits(String field, String problem) {
        super(field, problem);
    }
}
