package io.qnsp.auth.federation;

import io.qnsp.common.error.InvalidField;

import java.util.Map;

/** A time or time range that is unreadable, out of order or outside what the service accepts. */
public class InvalidTime extends InvalidField {

    InvalidTime(String field, String problem) {
        super(field, problem, Map.of());
    }
}
