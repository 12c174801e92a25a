package io.qnsp.ratelimit.apikey;

import io.qnsp.common.error.InvalidField;

import java.util.List;
import java.util.Map;

/** A limits change named an algorithm this service does not implement. */
public class UnsupportedAlgorithm extends InvalidField {

    UnsupportedAlgorithm() {
        super("algorithm", "must be one of: " + Limits.TOKEN_BUCKET, Map.of("supported", List.of(Limits.TOKEN_BUCKET)));
    }
}
