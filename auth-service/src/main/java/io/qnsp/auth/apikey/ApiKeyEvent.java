package io.qnsp.auth.apikey;

import io.qnsp.common.events.OutboxEvent;

/**
 * A change after which a cached verification of the key must be dropped. Published on the outbox stream
 * {@value #STREAM} (Redis stream {@code <prefix>events:auth.api-keys}, at least once, in commit order) and, as a
 * fast hint after commit, on the Redis channel {@code <prefix>}{@value #CHANNEL}.
 */
public sealed interface ApiKeyEvent extends OutboxEvent
        permits ApiKeyRevoked, ApiKeyRotated, ApiKeyExpired, ApiKeyUpdated {

    String STREAM = "auth.api-keys";
    String CHANNEL = "auth:api-key-changed";

    /** The key whose verification result changed. */
    String keyId();

    String tenantId();

    /** The kind of change as one word, e.g. {@code revoked}; also sent on the channel. */
    String change();

    @Override
    default String stream() {
        return STREAM;
    }
}
