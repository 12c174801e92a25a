package io.qnsp.common.events;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.ZoneOffset;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Stores events in the {@code qnsp_event_outbox} table with the caller's transaction and wakes the relay once that
 * transaction has committed.
 */
final class JdbcEventOutbox implements EventOutbox {

    // Stream names become part of Redis keys; keep them to a plain, predictable alphabet.
    private static final Pattern STREAM_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    private static final String INSERT = "INSERT INTO " + EventSchema.OUTBOX_TABLE
            + " (event_id, stream, event_type, payload, occurred_at) VALUES (?, ?, ?, CAST(? AS json), ?)";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final TransactionSynchronization relayAfterCommit;

    JdbcEventOutbox(JdbcTemplate jdbc, TransactionTemplate transactions, JsonMapper json, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        // One instance for all transactions: the synchronization set ignores it when a transaction appends twice.
        this.relayAfterCommit = new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.trigger();
            }
        };
    }

    @Override
    public void append(OutboxEvent event) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(event.eventId(), "eventId");
        Objects.requireNonNull(event.occurredAt(), "occurredAt");
        String stream = event.stream();
        if (stream == null || !STREAM_NAME.matcher(stream).matches()) {
            throw new IllegalArgumentException("stream name must match " + STREAM_NAME.pattern() + ": " + stream);
        }
        String payload = json.writeValueAsString(event);
        // REQUIRED: joins the caller's transaction, or opens one of its own when there is none.
        transactions.executeWithoutResult(status -> {
            jdbc.update(INSERT, event.eventId(), stream, event.getClass().getName(), payload,
                    event.occurredAt().atOffset(ZoneOffset.UTC));
            // Without synchronization (rare, explicitly disabled) the scheduled relay tick still picks the row up.
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                TransactionSynchronizationManager.registerSynchronization(relayAfterCommit);
            }
        });
    }
}
