package io.qnsp.auth.federation;

import io.qnsp.common.error.InvalidField;

import java.util.Map;

/** A cross-tenant activity period other than the supported ones. */
public class UnsupportedPeriod extends InvalidField {

    static final String FIELD = "period";

    UnsupportedPeriod() {
        super(FIELD, problem(), Map.of("allowedValues", ActivityPeriod.names()));
    }

    private static String problem() {
        return "must be one of " + String.join(", ", ActivityPeriod.names());
    }
}
