package io.qnsp.audit.feed;

import io.qnsp.audit.events.AuditEventRows;
import io.qnsp.audit.events.StoredAuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Every audit event committed to the store, in sequence order, to live subscribers on this instance, whichever
 * instance consumed it. One thread reads the store every {@code poll-interval}; the sequence is assigned at insert
 * but rows become visible at commit, so a hole in it holds the feed back for up to {@code gap-wait} (for a
 * transaction still committing) before it is passed over (a rolled-back insert or a duplicate leaves holes too).
 * <p>
 * Each subscriber has its own virtual thread: it first catches up from the store from the position it asked for
 * up to the feed's safe position, then takes live events; when it falls too far behind, it drops its queue and
 * catches up from the store again. A subscriber thus sees every event after its position exactly once, in order.
 */
@Component
public class AuditFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditFeed.class);

    private final AuditEventRows rows;
    private final FeedSettings settings;
    private final Clock clock = Clock.systemUTC();
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private volatile long position = -1;
    private long gapSeenFor = -1;
    private Instant gapSeenAt;
    private ScheduledExecutorService poller;

    AuditFeed(AuditEventRows rows, FeedSettings settings) {
        this.rows = rows;
        this.settings = settings;
    }

    /** The sequence up to which every committed event has been read (events may still be on their way to queues). */
    public long position() {
        return position;
    }

    /**
     * Hands every event after {@code after} that passes {@code filter} to {@code sink}, in sequence order, until the
     * subscription is closed or the sink throws (which closes it).
     *
     * @param after    the last sequence the subscriber already has (an SSE client's {@code Last-Event-ID}); {@code null}
     *                 to start with the events committed from now on
     * @param tenantId only this tenant's events; {@code null} for every tenant's
     */
    public FeedSubscription subscribe(Long after, String tenantId, Predicate<StoredAuditEvent> filter,
                                      Consumer<StoredAuditEvent> sink) {
        // "from now": after what is stored now, even when the feed has not read it yet
        long start = after != null ? Math.max(0, after) : Math.max(rows.maxSequence(), position);
        Subscriber subscriber = new Subscriber(start, tenantId, filter, sink);
        subscribers.add(subscriber);
        Thread.ofVirtual().name("audit-feed-subscriber").start(subscriber::run);
        return subscriber;
    }

    /** Open subscriptions on this instance. */
    public int subscriberCount() {
        return subscribers.size();
    }

    void poll() {
        try {
            if (position < 0) {
                position = rows.maxSequence();
            }
            List<StoredAuditEvent> batch;
            do {
                batch = rows.after(position, settings.batchSize());
                if (!advance(batch)) {
                    return;
                }
            } while (batch.size() == settings.batchSize());
        } catch (RuntimeException e) {
            log.warn("Audit feed could not read the store: {}", e.toString());
        }
    }

    /** Publishes the batch up to the first hole that is still young; whether the whole batch went out. */
    private boolean advance(List<StoredAuditEvent> batch) {
        for (StoredAuditEvent event : batch) {
            if (event.sequence() != position + 1 && !holeExpired(position + 1)) {
                return false;
            }
            position = event.sequence();
            for (Subscriber subscriber : subscribers) {
                subscriber.offer(event);
            }
        }
        return true;
    }

    private boolean holeExpired(long missing) {
        Instant now = clock.instant();
        if (gapSeenFor != missing) {
            gapSeenFor = missing;
            gapSeenAt = now;
        }
        return !now.isBefore(gapSeenAt.plus(settings.gapWait()));
    }

    @Override
    public void start() {
        poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("audit-feed").daemon().factory());
        long interval = settings.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, 0, Math.max(1, interval), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        subscribers.forEach(Subscriber::close);
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }

    @Override
    public boolean isRunning() {
        return poller != null;
    }

    private final class Subscriber implements FeedSubscription {

        private final String tenantId;
        private final Predicate<StoredAuditEvent> filter;
        private final Consumer<StoredAuditEvent> sink;
        private final BlockingQueue<StoredAuditEvent> queue = new ArrayBlockingQueue<>(settings.subscriberQueue());
        private final AtomicBoolean overflowed = new AtomicBoolean();
        private final AtomicBoolean open = new AtomicBoolean(true);
        private volatile long last;
        private volatile Thread thread;

        Subscriber(long after, String tenantId, Predicate<StoredAuditEvent> filter, Consumer<StoredAuditEvent> sink) {
            this.last = after;
            this.tenantId = tenantId;
            this.filter = filter;
            this.sink = sink;
        }

        void offer(StoredAuditEvent event) {
            if (tenantId != null && !tenantId.equals(event.tenantId())) {
                return;
            }
            if (!queue.offer(event)) {
                overflowed.set(true);
            }
        }

        void run() {
            thread = Thread.currentThread();
            try {
                while (open.get()) {
                    catchUp();
                    StoredAuditEvent event = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (event != null && event.sequence() > last) {
                        hand(event);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.debug("Audit feed subscriber ended: {}", e.toString());
            } finally {
                close();
            }
        }

        /** Reads from the store what the queue cannot hold or was registered too late for. */
        private void catchUp() {
            if (overflowed.getAndSet(false)) {
                queue.clear();
            }
            long safe;
            while (open.get() && last < (safe = position)) {
                List<StoredAuditEvent> batch = rows.between(last, safe, tenantId, settings.batchSize());
                if (batch.isEmpty()) {
                    last = safe;
                }
                for (StoredAuditEvent event : batch) {
                    hand(event);
                }
                if (overflowed.getAndSet(false)) {
                    queue.clear();
                }
            }
        }

        private void hand(StoredAuditEvent event) {
            if (filter.test(event)) {
                sink.accept(event);
            }
            last = event.sequence();
        }

        @Override
        public long position() {
            return last;
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                subscribers.remove(this);
                Thread running = thread;
                if (running != null && running != Thread.currentThread()) {
                    running.interrupt();
                }
            }
        }
    }
}
