package io.qnsp.ratelimit.apikey;

import java.util.UUID;

/** What a runtime check needs to know of a key: its id, whether it may be used, and its limits. */
public record ActiveKey(UUID keyId, boolean active, Limits limits) {

    static ActiveKey of(ApiKey key) {
        return new ActiveKey(key.id(), key.isActive(), key.limits());
    }
}
