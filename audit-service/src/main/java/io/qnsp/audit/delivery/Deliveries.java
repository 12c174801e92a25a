package io.qnsp.audit.delivery;

import io.qnsp.common.ids.Ulids;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The delivery queue and its history. Owners queue deliveries inside the transaction that stored the event
 * ({@link #enqueue}); the {@link DeliveryWorker} sends them. A test delivery is sent at once ({@link #sendNow}) and
 * kept in the same history.
 */
@Service
public class Deliveries {

    static final String PREFIX = "del_";

    private static final String COLUMNS = """
            delivery_id, event_id, event_type, status, attempts, last_status_code, last_duration_ms, last_error,
            created_at, next_attempt_at, completed_at""";

    private static final RowMapper<DeliveryRecord> RECORD = (rs, row) -> new DeliveryRecord(
            rs.getString("delivery_id"), text(rs.getObject("event_id", UUID.class)), rs.getString("event_type"),
            DeliveryStatus.of(rs.getString("status")), rs.getInt("attempts"),
            (Integer) rs.getObject("last_status_code", Integer.class), (Long) rs.getObject("last_duration_ms", Long.class),
            rs.getString("last_error"), instant(rs, "created_at"), instant(rs, "next_attempt_at"),
            instant(rs, "completed_at"));

    private final JdbcTemplate jdbc;
    private final DeliveryDispatcher dispatcher;
    private final Clock clock;

    Deliveries(JdbcTemplate jdbc, DeliveryDispatcher dispatcher) {
        this.jdbc = jdbc;
        this.dispatcher = dispatcher;
        this.clock = Clock.systemUTC();
    }

    /**
     * Queues a delivery of an event to an owner's destination, due at once; joins the caller's transaction. An event
     * already queued for this owner is not queued twice.
     *
     * @return the delivery id, or {@code null} when this event was already queued for the owner
     */
    public String enqueue(String tenantId, String ownerKind, String ownerId, UUID eventId, String eventType,
                          String payload) {
        String id = Ulids.next(PREFIX, clock.instant());
        int inserted = jdbc.update("""
                        INSERT INTO delivery (delivery_id, tenant_id, owner_kind, owner_id, event_id, event_type, payload,
                                              status, next_attempt_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', now())
                        ON CONFLICT (owner_kind, owner_id, event_id) WHERE event_id IS NOT NULL DO NOTHING""",
                id, tenantId, ownerKind, ownerId, eventId, eventType, payload);
        return inserted == 1 ? id : null;
    }

    /**
     * Sends one message now, records it as a delivery with one attempt (not retried) and answers how it went. For
     * "send a test delivery" endpoints.
     */
    public DeliveryRecord sendNow(String tenantId, DeliveryOwner owner, String ownerId, Destination destination,
                                  String eventType, String payload) {
        Instant now = clock.instant();
        String id = Ulids.next(PREFIX, now);
        jdbc.update("""
                        INSERT INTO delivery (delivery_id, tenant_id, owner_kind, owner_id, event_type, payload, status)
                        VALUES (?, ?, ?, ?, ?, ?, 'pending')""",
                id, tenantId, owner.kind(), ownerId, eventType, payload);
        OutgoingMessage message = new OutgoingMessage(id, eventType, now, payload);
        DeliveryResult result = dispatcher.send(destination, message);
        record(id, 1, result, result.succeeded() ? DeliveryStatus.SUCCESS : DeliveryStatus.FAILED, null);
        owner.attempted(ownerId, message, result);
        return find(ownerId, owner.kind(), id).orElseThrow();
    }

    /** An owner's deliveries, newest first. */
    public List<DeliveryRecord> page(String ownerKind, String ownerId, int offset, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM delivery WHERE owner_kind = ? AND owner_id = ?"
                        + " ORDER BY created_at DESC, delivery_id DESC OFFSET ? LIMIT ?",
                RECORD, ownerKind, ownerId, offset, limit);
    }

    public long count(String ownerKind, String ownerId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM delivery WHERE owner_kind = ? AND owner_id = ?",
                Long.class, ownerKind, ownerId);
        return count == null ? 0 : count;
    }

    public Optional<DeliveryRecord> find(String ownerId, String ownerKind, String deliveryId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM delivery WHERE delivery_id = ? AND owner_kind = ? AND owner_id = ?",
                RECORD, deliveryId, ownerKind, ownerId).stream().findFirst();
    }

    /** Every attempt of the given deliveries, oldest first, by delivery id. */
    public Map<String, List<DeliveryAttempt>> attempts(List<String> deliveryIds) {
        if (deliveryIds.isEmpty()) {
            return Map.of();
        }
        record Row(String deliveryId, DeliveryAttempt attempt) {
        }
        List<Row> rows = jdbc.query("""
                        SELECT delivery_id, attempt, attempted_at, succeeded, status_code, duration_ms, error
                        FROM delivery_attempt WHERE delivery_id = ANY (?) ORDER BY delivery_id, attempt""",
                (rs, n) -> new Row(rs.getString("delivery_id"), new DeliveryAttempt(rs.getInt("attempt"),
                        instant(rs, "attempted_at"), rs.getBoolean("succeeded"),
                        (Integer) rs.getObject("status_code", Integer.class), rs.getLong("duration_ms"),
                        rs.getString("error"))),
                (Object) deliveryIds.toArray(String[]::new));
        return rows.stream().collect(Collectors.groupingBy(Row::deliveryId,
                Collectors.mapping(Row::attempt, Collectors.toList())));
    }

    /** Deliveries per owner id of a kind, by status: for metrics. */
    public Map<String, Map<DeliveryStatus, Long>> countsByOwner(String ownerKind) {
        record Row(String ownerId, DeliveryStatus status, long count) {
        }
        List<Row> rows = jdbc.query(
                "SELECT owner_id, status, count(*) AS n FROM delivery WHERE owner_kind = ? GROUP BY owner_id, status",
                (rs, n) -> new Row(rs.getString("owner_id"), DeliveryStatus.of(rs.getString("status")),
                        rs.getLong("n")), ownerKind);
        return rows.stream().collect(Collectors.groupingBy(Row::ownerId,
                Collectors.toMap(Row::status, Row::count)));
    }

    /** Forgets an owner's deliveries (the owner was deleted). */
    public void deleteAll(String ownerKind, String ownerId) {
        jdbc.update("DELETE FROM delivery WHERE owner_kind = ? AND owner_id = ?", ownerKind, ownerId);
    }

    /** Records attempt {@code attempt} and the delivery's new state; nothing when the delivery is gone. */
    void record(String deliveryId, int attempt, DeliveryResult result, DeliveryStatus status, Instant nextAttemptAt) {
        Instant now = clock.instant();
        String error = cut(result.error());
        // the owner may have been deleted, with its deliveries, while this attempt was under way
        jdbc.update("""
                        INSERT INTO delivery_attempt (delivery_id, attempt, attempted_at, succeeded, status_code,
                                                      duration_ms, error)
                        SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM delivery WHERE delivery_id = ?)
                        ON CONFLICT DO NOTHING""",
                deliveryId, attempt, Timestamp.from(now), result.succeeded(), result.statusCode(), result.durationMs(),
                error, deliveryId);
        jdbc.update("""
                        UPDATE delivery SET status = ?, attempts = ?, last_status_code = ?, last_duration_ms = ?,
                                            last_error = ?, next_attempt_at = ?, completed_at = ?
                        WHERE delivery_id = ?""",
                status.label(), attempt, result.statusCode(), result.durationMs(), error,
                nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt),
                status == DeliveryStatus.PENDING ? null : Timestamp.from(now), deliveryId);
    }

    private static String cut(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 500);
    }

    private static String text(UUID id) {
        return id == null ? null : id.toString();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
