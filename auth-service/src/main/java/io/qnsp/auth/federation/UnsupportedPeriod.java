package io.qnsp.auth.federation;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A cross-tenant activity period other than the supported ones. */
public class UnsupportedPeriod extends ApiException {

    static final String FIELD = "period";

    UnsupportedPeriod() {
        super(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, FieldProblems.message(FIELD, problem()),
                FieldProblems.details(FIELD, problem(), Map.of("allowedValues", ActivityPeriod.names())));
    }

    private static String problem() {
        return "must be one of " + String.join(", ", ActivityPeriod.names());
    }
}
