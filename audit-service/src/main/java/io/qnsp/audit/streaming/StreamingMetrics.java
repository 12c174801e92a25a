package io.qnsp.audit.streaming;

import io.qnsp.audit.delivery.Deliveries;
import io.qnsp.audit.delivery.DeliveryStatus;
import io.qnsp.common.security.Caller;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Counts what streaming carried and answers the metrics of one tenant. Events sent on SSE streams are counted in
 * memory and added to the store every {@code counter-flush-interval} (and on shutdown); successful deliveries are
 * counted in the store at once. Per-second counts for {@code eventsPerSecond} go to Redis every second, so both
 * figures cover every instance; what this instance has not written yet is added to its own answers.
 */
@Component
public class StreamingMetrics implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamingMetrics.class);

    private final StreamCounters counters;
    private final StreamActivity activity;
    private final Deliveries deliveries;
    private final StreamingSettings settings;
    private final Clock clock = Clock.systemUTC();
    private final Map<Slot, Pending> pendingCounts = new ConcurrentHashMap<>();
    private final Map<RateSlot, Long> pendingRates = new ConcurrentHashMap<>();
    // a flush moves counts from memory to the store; a snapshot must not read in between and miss them
    private final ReadWriteLock countsFlush = new ReentrantReadWriteLock();
    private final ReadWriteLock ratesFlush = new ReentrantReadWriteLock();
    private ScheduledExecutorService flusher;

    StreamingMetrics(StreamCounters counters, StreamActivity activity, Deliveries deliveries,
                     StreamingSettings settings) {
        this.counters = counters;
        this.activity = activity;
        this.deliveries = deliveries;
        this.settings = settings;
    }

    private record Slot(String tenantKey, String subscriptionId) {
    }

    private record Pending(long count, Instant last) {

        Pending plus(Pending other) {
            return new Pending(count + other.count, last.isAfter(other.last) ? last : other.last);
        }
    }

    private record RateSlot(String tenantKey, long second) {
    }

    /** The metrics of one tenant, as {@code GET /v1/streaming/metrics} answers them. */
    public record Snapshot(long activeConnections, double eventsPerSecond, long totalEventsStreamed,
                           List<SubscriptionMetric> subscriptionMetrics) {
    }

    /**
     * One subscription's figures.
     *
     * @param eventsDelivered   successful deliveries plus events sent on SSE streams opened with this subscription
     * @param eventsStreamed    of which sent on SSE streams
     * @param deliveriesPending deliveries waiting for their first or next attempt
     * @param deliveriesFailed  deliveries given up after their last attempt
     * @param lastEventAt       when the last event was delivered or streamed, {@code null} if none yet
     */
    public record SubscriptionMetric(String subscriptionId, long eventsDelivered, long eventsStreamed,
                                     long deliveriesPending, long deliveriesFailed, @Nullable Instant lastEventAt) {
    }

    /** An event was sent on an SSE stream; {@code subscriptionId} {@code null} for a stream without one. */
    void streamed(String tenantKey, String subscriptionId) {
        Instant now = clock.instant();
        pendingCounts.merge(new Slot(tenantKey, subscriptionId == null ? "" : subscriptionId), new Pending(1, now),
                Pending::plus);
        pendingRates.merge(new RateSlot(tenantKey, now.getEpochSecond()), 1L, Long::sum);
    }

    /** A delivery to the subscription succeeded. */
    void delivered(String subscriptionId) {
        Instant now = clock.instant();
        try {
            counters.addDelivered(subscriptionId, now).ifPresent(tenantKey ->
                    pendingRates.merge(new RateSlot(tenantKey, now.getEpochSecond()), 1L, Long::sum));
        } catch (RuntimeException e) {
            log.warn("Could not count a delivery of {}: {}", subscriptionId, e.toString());
        }
    }

    /** The caller's tenant's metrics. */
    public Snapshot of(Caller caller, List<StreamSubscription> subscriptions) {
        return snapshot(caller.tenantId() == null ? "" : caller.tenantId(), subscriptions);
    }

    Snapshot snapshot(String tenantKey, List<StreamSubscription> subscriptions) {
        Instant now = clock.instant();
        long nowSecond = now.getEpochSecond();
        long window = Math.max(1, settings.rateWindow().toSeconds());
        long fromSecond = nowSecond - window + 1;
        long recent;
        ratesFlush.readLock().lock();
        try {
            recent = activity.countedBetween(tenantKey, fromSecond, nowSecond);
            for (Map.Entry<RateSlot, Long> pending : pendingRates.entrySet()) {
                RateSlot slot = pending.getKey();
                if (slot.tenantKey().equals(tenantKey) && slot.second() >= fromSecond
                        && slot.second() <= nowSecond) {
                    recent += pending.getValue();
                }
            }
        } finally {
            ratesFlush.readLock().unlock();
        }
        double perSecond = Math.round(recent * 1000.0 / window) / 1000.0;

        Map<String, StreamCounters.Counter> bySubscription = new HashMap<>();
        Map<String, Pending> local = new HashMap<>();
        long total = 0;
        countsFlush.readLock().lock();
        try {
            for (StreamCounters.Counter counter : counters.ofTenant(tenantKey)) {
                bySubscription.put(counter.subscriptionId(), counter);
                total += counter.streamed() + counter.delivered();
            }
            for (Map.Entry<Slot, Pending> pending : pendingCounts.entrySet()) {
                if (pending.getKey().tenantKey().equals(tenantKey)) {
                    local.put(pending.getKey().subscriptionId(), pending.getValue());
                    total += pending.getValue().count();
                }
            }
        } finally {
            countsFlush.readLock().unlock();
        }
        Map<String, Map<DeliveryStatus, Long>> queue = subscriptions.isEmpty() ? Map.of()
                : deliveries.countsByOwner(SubscriptionDeliveries.KIND);
        List<SubscriptionMetric> metrics = new ArrayList<>();
        for (StreamSubscription subscription : subscriptions) {
            String id = subscription.subscriptionId();
            StreamCounters.Counter stored = bySubscription.get(id);
            Pending pending = local.get(id);
            long streamed = (stored == null ? 0 : stored.streamed()) + (pending == null ? 0 : pending.count());
            long delivered = stored == null ? 0 : stored.delivered();
            Instant last = latest(stored == null ? null : stored.lastEventAt(), pending == null ? null : pending.last());
            Map<DeliveryStatus, Long> states = queue.getOrDefault(id, Map.of());
            metrics.add(new SubscriptionMetric(id, delivered + streamed, streamed,
                    states.getOrDefault(DeliveryStatus.PENDING, 0L), states.getOrDefault(DeliveryStatus.FAILED, 0L),
                    last));
        }
        return new Snapshot(activity.openStreams(tenantKey, now.toEpochMilli()), perSecond, total, metrics);
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    void flushRates() {
        ratesFlush.writeLock().lock();
        try {
            moveRates();
        } finally {
            ratesFlush.writeLock().unlock();
        }
    }

    private void moveRates() {
        for (RateSlot slot : List.copyOf(pendingRates.keySet())) {
            Long count = pendingRates.remove(slot);
            if (count == null) {
                continue;
            }
            try {
                activity.counted(slot.tenantKey(), slot.second(), count);
            } catch (RuntimeException e) {
                pendingRates.merge(slot, count, Long::sum);
                log.debug("Could not write streaming rates: {}", e.toString());
                return;
            }
        }
    }

    void flushCounts() {
        countsFlush.writeLock().lock();
        try {
            moveCounts();
        } finally {
            countsFlush.writeLock().unlock();
        }
    }

    private void moveCounts() {
        for (Slot slot : List.copyOf(pendingCounts.keySet())) {
            Pending pending = pendingCounts.remove(slot);
            if (pending == null) {
                continue;
            }
            try {
                counters.addStreamed(slot.tenantKey(), slot.subscriptionId(), pending.count(), pending.last());
            } catch (RuntimeException e) {
                pendingCounts.merge(slot, pending, Pending::plus);
                log.warn("Could not store streaming counts: {}", e.toString());
                return;
            }
        }
    }

    @Override
    public void start() {
        flusher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("audit-streaming-metrics").daemon().factory());
        flusher.scheduleWithFixedDelay(this::flushRates, 1, 1, TimeUnit.SECONDS);
        long counts = Math.max(100, settings.counterFlushInterval().toMillis());
        flusher.scheduleWithFixedDelay(this::flushCounts, counts, counts, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
            flusher = null;
            flushCounts();
            flushRates();
        }
    }

    @Override
    public boolean isRunning() {
        return flusher != null;
    }

    /** Stops after the streams (which count into it) and before the data source goes. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
