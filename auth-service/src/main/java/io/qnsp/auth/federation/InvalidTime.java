package io.qnsp.auth.federation;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A time or time range that is unreadable, out of order or outside what the service accepts. */
public class InvalidTime extends ApiException {

    InvalidTime(String field, String problem) {
        super(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, FieldProblems.message(field, problem),
                FieldProblems.details(field, problem, Map.of()));
    }
}
