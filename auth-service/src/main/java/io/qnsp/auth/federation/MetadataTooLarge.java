package io.qnsp.auth.federation;

import io.qnsp.common.error.InvalidField;

import java.util.Map;

/** An event's metadata exceeds the configured size or nesting depth. */
public class MetadataTooLarge extends InvalidField {

    static final String FIELD = "metadata";

    MetadataTooLarge(String problem, Map<String, Object> limits) {
        super(FIELD, problem, limits);
    }
}
