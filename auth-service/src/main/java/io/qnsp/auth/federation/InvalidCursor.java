package io.qnsp.auth.federation;

import io.qnsp.common.error.InvalidField;

import java.util.Map;

/** A query cursor that this service did not issue for this tenant and these filters (tampered, foreign or stale). */
public class InvalidCursor extends InvalidField {

    static final String FIELD = "cursor";

    InvalidCursor(String problem) {
        super(FIELD, problem, Map.of());
    }
}
