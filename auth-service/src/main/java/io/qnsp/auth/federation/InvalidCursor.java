package io.qnsp.auth.federation;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A query cursor that this service did not issue for this tenant and these filters (tampered, foreign or stale). */
public class InvalidCursor extends ApiException {

    static final String FIELD = "cursor";

    InvalidCursor(String problem) {
        super(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, FieldProblems.message(FIELD, problem),
                FieldProblems.details(FIELD, problem, Map.of()));
    }
}
