package io.qnsp.common.events;

import io.qnsp.common.redis.RedisKeys;
import org.springframework.core.NestedExceptionUtils;

/** Names of the Redis streams events travel on and of the fields of each entry, shared by relay and consumers. */
final class EventStreams {

    static final String EVENT_ID = "eventId";
    static final String TYPE = "type";
    static final String OCCURRED_AT = "occurredAt";
    static final String PAYLOAD = "payload";

    private EventStreams() {
    }

    /** {@code <prefix>events:<stream>}. */
    static String key(RedisKeys keys, String stream) {
        return keys.key("events:" + stream);
    }

    /** {@code <prefix>events:<stream>:dead-letter}. */
    static String deadLetterKey(RedisKeys keys, String stream) {
        return key(keys, stream) + ":dead-letter";
    }

    /** The root cause in one short line, for logs and the outbox's {@code last_error}; never a payload. */
    static String describe(Throwable failure) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
        String text = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return text.length() > 1000 ? text.substring(0, 1000) : text;
    }
}
