package io.qnsp.ratelimit.apikey;

import io.qnsp.common.error.InvalidField;

/** The {@code key} path segment is neither an API key nor a key id. */
public class MalformedKeyReference extends InvalidField {

    MalformedKeyReference() {
        super("key", "must be an API key (RAT-…) or a key id (UUID)");
    }
}
