package io.qnsp.audit.streaming;

import io.qnsp.audit.events.AuditEventFilter;
import io.qnsp.audit.events.AuditEventRows;
import io.qnsp.audit.events.StoredAuditEvent;
import io.qnsp.audit.feed.AuditFeed;
import io.qnsp.audit.feed.FeedSubscription;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Server-Sent Event streams of audit events. Each stream is an {@link AuditFeed} subscription limited to the caller's
 * tenant (and the subscription's filters, when one is named) that writes every event as {@code event: audit_event},
 * {@code id: <sequence>}, {@code data: <event JSON>}. A client reconnecting with {@code Last-Event-ID} resumes right
 * after that event, missing none and repeating none. A comment line every {@code heartbeat-interval} keeps proxies
 * from closing an idle stream and finds clients that have gone; whichever way a stream ends (client gone, failed
 * write, time limit, shutdown, its subscription deleted), its feed subscription is closed.
 */
@Component
public class LiveStreams implements SmartLifecycle {

    static final String EVENT_NAME = "audit_event";
    private static final Logger log = LoggerFactory.getLogger(LiveStreams.class);

    private final AuditFeed feed;
    private final AuditEventRows rows;
    private final StreamSubscriptions subscriptions;
    private final AuditEventPayloads payloads;
    private final StreamingMetrics metrics;
    private final StreamActivity activity;
    private final StreamingSettings settings;
    private final Clock clock = Clock.systemUTC();
    private final Set<LiveStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    LiveStreams(AuditFeed feed, AuditEventRows rows, StreamSubscriptions subscriptions, AuditEventPayloads payloads,
                StreamingMetrics metrics, StreamActivity activity, StreamingSettings settings) {
        this.feed = feed;
        this.rows = rows;
        this.subscriptions = subscriptions;
        this.payloads = payloads;
        this.metrics = metrics;
        this.activity = activity;
        this.settings = settings;
    }

    /**
     * Opens a stream for the caller. Everything that can be refused is refused here, before the response starts, so
     * errors still answer as JSON in the service's error format.
     *
     * @param subscriptionId  one of the caller's subscriptions whose filters apply, or {@code null} for all the
     *                        tenant's events
     * @param lastEventHeader the {@code Last-Event-ID} header, taking precedence over {@code lastEventParam}
     */
    public SseEmitter open(Caller caller, String subscriptionId, String lastEventHeader, String lastEventParam) {
        String tenantId = caller.tenantId();
        AuditEventFilter filter = AuditEventFilter.ALL;
        String subscription = null;
        if (subscriptionId != null && !subscriptionId.isBlank()) {
            StreamSubscription found = subscriptions.find(tenantId, subscriptionId.trim())
                    .orElseThrow(() -> new SubscriptionNotFound("subscriptionId"));
            filter = found.filter();
            subscription = found.subscriptionId();
        }
        Long after = lastEventHeader != null && !lastEventHeader.isBlank()
                ? lastEventId("Last-Event-ID", lastEventHeader)
                : lastEventId("lastEventId", lastEventParam);
        if (after == null && feed.position() < 0) {
            // the feed has not read the store yet: "from now on" is the newest stored event
            after = rows.maxSequence();
        }
        long timeout = settings.maxStreamDuration().toMillis();
        LiveStream stream = new LiveStream(tenantId, subscription, new SseEmitter(timeout <= 0 ? 0L : timeout));
        stream.start(after, filter);
        return stream.emitter;
    }

    private Long lastEventId(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        long id;
        try {
            id = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidField(field, "must be the id of an event received on this stream");
        }
        if (id < 0) {
            throw new InvalidField(field, "must be the id of an event received on this stream");
        }
        if (id > rows.maxSequence()) {
            throw new InvalidField(field, "is later than the newest stored event");
        }
        return id;
    }

    private static String tenantKey(String tenantId) {
        return tenantId == null ? "" : tenantId;
    }

    private final class LiveStream {

        private final String id = UUID.randomUUID().toString();
        private final String tenantId;
        private final String subscriptionId;
        private final SseEmitter emitter;
        private final ReentrantLock writing = new ReentrantLock();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile FeedSubscription subscription;
        private volatile Thread heartbeat;

        LiveStream(String tenantId, String subscriptionId, SseEmitter emitter) {
            this.tenantId = tenantId;
            this.subscriptionId = subscriptionId;
            this.emitter = emitter;
        }

        void start(Long after, AuditEventFilter filter) {
            emitter.onCompletion(this::close);
            emitter.onError(failure -> close());
            emitter.onTimeout(() -> {
                close();
                emitter.complete();
            });
            // the first write commits the headers, so the client knows at once that the stream is open
            write(SseEmitter.event().comment("stream open").reconnectTime(settings.reconnectDelay().toMillis()));
            open.add(this);
            alive();
            // platform-level events (no tenant) are the platform operator's; a tenant's feed is its own already
            Predicate<StoredAuditEvent> wanted = tenantId == null
                    ? event -> event.tenantId() == null && filter.matches(event)
                    : filter::matches;
            subscription = feed.subscribe(after, tenantId, wanted, this::deliver);
            heartbeat = Thread.ofVirtual().name("audit-sse-heartbeat").start(this::beat);
            if (closed.get()) {
                subscription.close();
            }
        }

        private void deliver(StoredAuditEvent event) {
            if (!write(SseEmitter.event().id(Long.toString(event.sequence())).name(EVENT_NAME)
                    .data(payloads.event(event), MediaType.APPLICATION_JSON))) {
                throw new StreamEnded();
            }
            metrics.streamed(tenantKey(tenantId), subscriptionId);
        }

        private void beat() {
            long interval = Math.max(10, settings.heartbeatInterval().toMillis());
            try {
                while (!closed.get()) {
                    Thread.sleep(interval);
                    if (subscriptionId != null && !subscriptions.exists(subscriptionId)) {
                        end();
                        return;
                    }
                    if (!write(SseEmitter.event().comment("keep-alive"))) {
                        return;
                    }
                    alive();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.debug("SSE heartbeat stopped: {}", e.toString());
            }
        }

        /** Whether the event went out; a failed write ends the stream. */
        private boolean write(SseEmitter.SseEventBuilder event) {
            if (closed.get()) {
                return false;
            }
            writing.lock();
            try {
                emitter.send(event);
                return true;
            } catch (IOException | IllegalStateException e) {
                close();
                return false;
            } finally {
                writing.unlock();
            }
        }

        private void alive() {
            try {
                activity.alive(tenantKey(tenantId), id, clock.millis());
            } catch (RuntimeException e) {
                log.debug("Could not record an open SSE stream: {}", e.toString());
            }
        }

        /** Ends the stream from the server's side. */
        void end() {
            close();
            try {
                emitter.complete();
            } catch (RuntimeException e) {
                // already completed
            }
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            open.remove(this);
            FeedSubscription feedSubscription = subscription;
            if (feedSubscription != null) {
                feedSubscription.close();
            }
            Thread beating = heartbeat;
            if (beating != null && beating != Thread.currentThread()) {
                beating.interrupt();
            }
            try {
                activity.closed(tenantKey(tenantId), id);
            } catch (RuntimeException e) {
                log.debug("Could not record a closed SSE stream: {}", e.toString());
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof LiveStream stream && stream.id.equals(id);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id);
        }
    }

    /** Thrown from the feed's sink to end a subscription whose client is gone. */
    private static final class StreamEnded extends RuntimeException {

        StreamEnded() {
            super("the SSE stream has ended", null, false, false);
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every open stream, so clients reconnect (with {@code Last-Event-ID}) to an instance that stays. */
    @Override
    public void stop() {
        running = false;
        for (LiveStream stream : open) {
            stream.end();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
