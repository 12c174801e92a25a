package io.qnsp.auth.federation;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** An event's metadata exceeds the configured size or nesting depth. */
public class MetadataTooLarge extends ApiException {

    static final String FIELD = "metadata";

    MetadataTooLarge(String problem, Map<String, Object> limits) {
        super(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, FieldProblems.message(FIELD, problem),
                FieldProblems.details(FIELD, problem, limits));
    }
}
