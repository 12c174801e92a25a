package io.qnsp.audit.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Sends due deliveries: claims up to {@code batch-size} with {@code FOR UPDATE SKIP LOCKED} (so instances share the
 * work), holds them for {@code lease}, sends them in parallel, and records each attempt. A failed attempt is retried
 * after exponential backoff until {@code max-attempts}; a delivery whose owner is gone fails at once.
 */
@Component
class DeliveryWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final JdbcTemplate jdbc;
    private final Deliveries deliveries;
    private final DeliveryDispatcher dispatcher;
    private final DeliverySettings settings;
    private final Map<String, DeliveryOwner> owners;
    private final Clock clock = Clock.systemUTC();
    private ScheduledExecutorService poller;
    private ExecutorService senders;

    DeliveryWorker(JdbcTemplate jdbc, Deliveries deliveries, DeliveryDispatcher dispatcher, DeliverySettings settings,
                   List<DeliveryOwner> owners) {
        this.jdbc = jdbc;
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.owners = owners.stream().collect(Collectors.toMap(DeliveryOwner::kind, Function.identity()));
    }

    private record Claimed(String deliveryId, String ownerKind, String ownerId, String eventType, String payload,
                           int attempts, Instant createdAt) {
    }

    /** Sends one batch of due deliveries; how many were claimed. */
    int sendDue() {
        List<Claimed> claimed = jdbc.query("""
                        UPDATE delivery SET next_attempt_at = now() + make_interval(secs => ?)
                        WHERE delivery_id IN (SELECT delivery_id FROM delivery
                                              WHERE status = 'pending' AND next_attempt_at <= now()
                                              ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                        RETURNING delivery_id, owner_kind, owner_id, event_type, payload, attempts, created_at""",
                (rs, n) -> new Claimed(rs.getString("delivery_id"), rs.getString("owner_kind"),
                        rs.getString("owner_id"), rs.getString("event_type"), rs.getString("payload"),
                        rs.getInt("attempts"), rs.getTimestamp("created_at").toInstant()),
                (double) settings.lease().toMillis() / 1000, settings.batchSize());
        List<Future<?>> running = new ArrayList<>();
        for (Claimed delivery : claimed) {
            running.add(senders.submit(() -> attempt(delivery)));
        }
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return claimed.size();
            } catch (Exception e) {
                log.warn("Delivery attempt failed unexpectedly: {}", e.toString());
            }
        }
        return claimed.size();
    }

    private void attempt(Claimed delivery) {
        int attempt = delivery.attempts() + 1;
        OutgoingMessage message = new OutgoingMessage(delivery.deliveryId(), delivery.eventType(), delivery.createdAt(),
                delivery.payload());
        DeliveryOwner owner = owners.get(delivery.ownerKind());
        Optional<Destination> destination = owner == null ? Optional.empty() : owner.destination(delivery.ownerId());
        if (destination.isEmpty()) {
            deliveries.record(delivery.deliveryId(), attempt,
                    DeliveryResult.failure(null, 0, "the destination no longer exists or is paused"),
                    DeliveryStatus.FAILED, null);
            return;
        }
        DeliveryResult result = dispatcher.send(destination.get(), message);
        if (result.succeeded()) {
            deliveries.record(delivery.deliveryId(), attempt, result, DeliveryStatus.SUCCESS, null);
        } else if (attempt >= settings.maxAttempts()) {
            deliveries.record(delivery.deliveryId(), attempt, result, DeliveryStatus.FAILED, null);
        } else {
            deliveries.record(delivery.deliveryId(), attempt, result, DeliveryStatus.PENDING,
                    clock.instant().plus(settings.backoffAfter(attempt)));
        }
        owner.attempted(delivery.ownerId(), message, result);
    }

    private void poll() {
        try {
            while (sendDue() == settings.batchSize()) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            log.warn("Delivery worker could not read the queue: {}", e.toString());
        }
    }

    @Override
    public void start() {
        senders = Executors.newVirtualThreadPerTaskExecutor();
        poller = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("audit-deliveries").daemon().factory());
        poller.scheduleWithFixedDelay(this::poll, 0, Math.max(1, settings.pollInterval().toMillis()),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (poller != null) {
            poller.shutdownNow();
            senders.shutdownNow();
            poller = null;
        }
    }

    @Override
    public boolean isRunning() {
        return poller != null;
    }
}
