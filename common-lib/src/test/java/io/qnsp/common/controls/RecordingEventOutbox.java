package io.qnsp.common.controls;

import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.events.OutboxEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test outbox that, like the real one, writes each event as a row in the caller's transaction: an event whose
 * transaction rolled back was appended but never committed.
 */
class RecordingEventOutbox implements EventOutbox {

    private final JdbcTemplate jdbc;
    private final List<OutboxEvent> appended = new CopyOnWriteArrayList<>();
    private final Map<UUID, Boolean> appendedInTransaction = new ConcurrentHashMap<>();

    RecordingEventOutbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        jdbc.execute("create table if not exists recorded_events (event_id uuid primary key, stream text not null)");
    }

    @Override
    public void append(OutboxEvent event) {
        appended.add(event);
        appendedInTransaction.put(event.eventId(), TransactionSynchronizationManager.isActualTransactionActive());
        jdbc.update("insert into recorded_events (event_id, stream) values (?, ?)", event.eventId(), event.stream());
    }

    /** Every event handed to the outbox, committed or not. */
    List<OutboxEvent> appended() {
        return List.copyOf(appended);
    }

    /** The events whose transaction committed, in the order they were appended. */
    List<OutboxEvent> committed() {
        Set<UUID> ids = Set.copyOf(jdbc.queryForList("select event_id from recorded_events", UUID.class));
        return appended.stream().filter(e -> ids.contains(e.eventId())).toList();
    }

    boolean appendedInTransaction(OutboxEvent event) {
        return appendedInTransaction.getOrDefault(event.eventId(), false);
    }
}
