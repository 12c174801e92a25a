package io.qnsp.common.events;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A service's subscription to one event stream: declare it as a bean and common-lib reads the stream with the
 * consumer group, calls the handler once per event id inside a database transaction, and acknowledges only after
 * that transaction committed.
 *
 * <pre>{@code
 * @Bean
 * EventStreamListener<AuditEvent> auditEvents(AuditRecords records) {
 *     return new EventStreamListener<>(AuditEvent.STREAM, "audit-service", AuditEvent.class, records::store);
 * }
 * }</pre>
 *
 * @param stream  the logical stream name, as in {@link OutboxEvent#stream()}
 * @param group   the consumer group, normally the consuming service's name; each group sees every event
 * @param type    the class the JSON payload is read into
 * @param handler called with each new event; its database writes join the transaction that records the event id,
 *                and an exception rolls both back and leaves the message to be retried
 */
public record EventStreamListener<T>(String stream, String group, Class<T> type, Handler<T> handler) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    public EventStreamListener {
        requireName(stream, "stream");
        requireName(group, "group");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
    }

    /** Handles one event of a stream. */
    @FunctionalInterface
    public interface Handler<T> {

        void handle(T event) throws Exception;
    }

    private static void requireName(String value, String what) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must match " + NAME.pattern() + ": " + value);
        }
    }
}
