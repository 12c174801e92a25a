package io.qnsp.gateway.tenantstatus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.stream.ByteBufferRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows billing-service's {@code <prefix>events:tenant-status} stream into {@link TenantStatuses}. At start it
 * reads the stream from its first entry, then waits for new ones with a blocking {@code XREAD} after the last id it
 * read, on a connection of its own so that the wait holds up no other command. Every gateway instance reads the
 * whole stream itself: there is no consumer group, since each needs every tenant's latest status.
 *
 * <p>When Redis cannot be reached, the statuses known so far keep deciding, and the reader tries again with a
 * growing pause (0.2 s up to 5 s), continuing after the last id it read. Entry ids grow with Redis's clock, so
 * entries written after a Redis restart that lost the stream still come after that id. Request handling never waits
 * for the reader; start-up waits for the first read to the end of the stream ({@code startup-wait} at most, and not
 * at all once Redis failed to answer), so that an instance normally knows every status before it serves.
 *
 * <p>Entries are those common-lib's outbox relay writes for billing-service's {@code TenantStatusChanged}: fields
 * {@code eventId}, {@code type}, {@code occurredAt} and {@code payload}, the event as JSON with {@code tenantId},
 * {@code status} and {@code reason}.
 */
final class TenantStatusReader implements SmartLifecycle {

    static final String STREAM = "tenant-status";

    private static final Logger log = LoggerFactory.getLogger(TenantStatusReader.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);
    private static final Duration MIN_BLOCK = Duration.ofMillis(10);
    private static final String OCCURRED_AT = "occurredAt";
    private static final String PAYLOAD = "payload";

    private final ReactiveRedisConnectionFactory connections;
    private final String key;
    private final byte[] keyBytes;
    private final TenantStatuses statuses;
    private final int batchSize;
    private final Duration block;
    private final Duration startupWait;
    private final JsonMapper json = JsonMapper.shared();
    private final AtomicBoolean failing = new AtomicBoolean();

    // written by one read at a time, in sequence
    private volatile String lastId = "0-0";
    private volatile boolean caughtUp;
    private volatile CountDownLatch startup = new CountDownLatch(0);
    private volatile Scheduler scheduler;
    private volatile Disposable subscription;

    /**
     * @param key            the stream's key, prefix included
     * @param commandTimeout the Redis command timeout, which a blocking read must stay well under
     */
    TenantStatusReader(ReactiveRedisConnectionFactory connections, String key, TenantStatuses statuses,
                       TenantStatusProperties properties, Duration commandTimeout) {
        this.connections = connections;
        this.key = key;
        this.keyBytes = key.getBytes(StandardCharsets.UTF_8);
        this.statuses = statuses;
        this.batchSize = properties.batchSize();
        this.block = blockTimeout(properties.blockTimeout(), commandTimeout);
        this.startupWait = properties.startupWait();
    }

    /** The configured wait, shortened to half the command timeout, and not below 10 ms. */
    static Duration blockTimeout(Duration configured, Duration commandTimeout) {
        Duration half = commandTimeout.dividedBy(2);
        Duration block = configured.compareTo(half) <= 0 ? configured : half;
        return block.compareTo(MIN_BLOCK) < 0 ? MIN_BLOCK : block;
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        CountDownLatch settled = new CountDownLatch(1);
        startup = settled;
        // one thread applies entries in order, off Redis's I/O threads
        Scheduler applying = Schedulers.newSingle("qnsp-tenant-status", true);
        scheduler = applying;
        subscription = session(applying)
                .doOnError(this::lost)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_RETRY).maxBackoff(MAX_RETRY).transientErrors(true))
                .subscribe(read -> { }, failure -> log.error("Tenant statuses are no longer read from {}", key,
                        failure));
        try {
            if (!settled.await(startupWait.toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("Tenant statuses not read to the end of {} within {}; serving meanwhile, tenants suspended"
                        + " earlier are refused once it is", key, startupWait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads batch after batch on one connection, until a failure ends the connection. */
    private Flux<Integer> session(Scheduler applying) {
        return Flux.usingWhen(
                Mono.fromSupplier(connections::getReactiveConnection).subscribeOn(Schedulers.boundedElastic()),
                connection -> Mono.defer(() -> read(connection, applying)).repeat(),
                ReactiveRedisConnection::closeLater,
                (connection, failure) -> connection.closeLater(),
                ReactiveRedisConnection::closeLater);
    }

    /** One {@code XREAD} after the last id: blocking once the stream has been read to its end. */
    private Mono<Integer> read(ReactiveRedisConnection connection, Scheduler applying) {
        boolean blocking = caughtUp;
        StreamReadOptions options = StreamReadOptions.empty().count(batchSize);
        if (blocking) {
            options = options.block(block);
        }
        return connection.streamCommands()
                .xRead(options, StreamOffset.create(ByteBuffer.wrap(keyBytes), ReadOffset.from(lastId)))
                .collectList()
                .publishOn(applying)
                .map(records -> {
                    recovered();
                    records.forEach(this::apply);
                    if (!blocking && records.size() < batchSize) {
                        caughtUp = true;
                        log.info("Tenant statuses read from {}: {} tenant(s) suspended or cancelled; following new"
                                + " entries", key, statuses.refusedCount());
                        startup.countDown();
                    }
                    return records.size();
                });
    }

    private void apply(ByteBufferRecord record) {
        String id = record.getId().getValue();
        lastId = id;
        Map<String, String> fields = new HashMap<>();
        record.getValue().forEach((field, value) -> fields.put(text(field), text(value)));
        TenantStatusEntry entry = parse(id, fields);
        if (entry == null) {
            return;
        }
        TenantStatus now = statuses.apply(entry.tenantId(), entry.status());
        if (caughtUp && now == entry.status()) {
            log.info("Tenant {} is now {} ({})", entry.tenantId(), now.status(), now.reason());
        }
    }

    private TenantStatusEntry parse(String id, Map<String, String> fields) {
        String payload = fields.get(PAYLOAD);
        JsonNode event;
        try {
            event = payload == null ? null : json.readTree(payload);
        } catch (RuntimeException unreadable) {
            event = null;
        }
        String tenantId = event == null ? null : event.path("tenantId").asString(null);
        String status = event == null ? null : event.path("status").asString(null);
        if (tenantId == null || tenantId.isBlank() || status == null || status.isBlank()) {
            log.warn("Entry {} of {} names no tenant or status; skipped", id, key);
            return null;
        }
        String reason = event.path("reason").asString(null);
        Instant since = instant(fields.get(OCCURRED_AT));
        if (since == null) {
            since = instant(event.path(OCCURRED_AT).asString(null));
        }
        if (!TenantStatus.ACTIVE.equals(status) && !TenantStatus.SUSPENDED.equals(status)
                && !TenantStatus.CANCELLED.equals(status)) {
            log.warn("Entry {} of {} gives tenant {} the status '{}', which the gateway does not know; its calls"
                    + " are let through", id, key, tenantId, status);
        }
        return new TenantStatusEntry(tenantId, new TenantStatus(status, reason, since));
    }

    private static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    private static String text(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }

    private void recovered() {
        if (failing.compareAndSet(true, false)) {
            log.info("Reading tenant statuses from {} again, after entry {}", key, lastId);
        }
    }

    private void lost(Throwable failure) {
        // start-up waits no longer: the gateway serves with what it knows, and reads once Redis answers
        startup.countDown();
        if (failing.compareAndSet(false, true)) {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
            log.warn("Cannot read tenant statuses from {} ({}: {}); the statuses known so far keep deciding, retrying",
                    key, cause.getClass().getSimpleName(), cause.getMessage());
        } else {
            log.debug("Still cannot read tenant statuses from {}", key, failure);
        }
    }

    /** Whether the stream has been read to its end once since start. */
    boolean caughtUp() {
        return caughtUp;
    }

    /** The id of the last entry read. */
    String lastId() {
        return lastId;
    }

    @Override
    public synchronized void stop() {
        Disposable current = subscription;
        subscription = null;
        if (current != null) {
            current.dispose();
        }
        Scheduler applying = scheduler;
        scheduler = null;
        if (applying != null) {
            applying.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable current = subscription;
        return current != null && !current.isDisposed();
    }

    @Override
    public int getPhase() {
        // before the web server starts (and after it stopped), so the first requests find the statuses read
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private record TenantStatusEntry(String tenantId, TenantStatus status) {
    }
}
