package io.qnsp.audit.ingestion;

import io.qnsp.audit.AuditApplication;
import io.qnsp.audit.TestEvents;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.OutboxEvent;
import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.ServiceInstances;
import io.qnsp.test.infra.TableLock;
import io.qnsp.test.infra.TestPostgres;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.Lifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * audit-service goes away while it holds delivered but unacknowledged messages and has a backlog of unread ones,
 * events arrive while no instance runs, and a new instance takes over on the same database and Redis while more
 * arrive: afterwards every published event is stored exactly once, nothing is left pending and nothing is
 * dead-lettered.
 *
 * <p>Nothing here depends on how fast the instance or the test runs. The test publishes each phase itself, and it
 * stops the readers where it wants them with a lock on the consumed-event table, which the first statement of every
 * reader transaction needs: a reader that has read a batch waits there with the whole batch delivered and not
 * acknowledged, for as long as the test holds the lock.
 */
class IngestionCrashRecoveryIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(IngestionCrashRecoveryIntegrationTests.class);

    private static final int AUDIT_EVENTS = 3000;
    private static final int REQUEST_EVENTS = 1000;
    /** After every so many events, one published 100 events earlier is published again (a relay that lost its mark). */
    private static final int DUPLICATE_EVERY = 250;
    /** Published one by one while the first instance runs freely; all of it is stored before the readers are held. */
    private static final int IN_FLOW = 1000;
    /**
     * Published in one go while the readers are held, so that each reader's next read takes a full batch (about 250
     * of these go to the request-log stream, far more than a batch): that batch is what the instance holds when it
     * goes, behind it a backlog nobody has read.
     */
    private static final int HELD = 1000;
    /** Published while no instance runs; the rest is published once the next instance runs. */
    private static final int WHILE_DOWN = 1600;
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String GROUP = "audit-service";
    private static final String CONSUMED_EVENTS = "audit.qnsp_consumed_event";
    /** common-lib's bean that runs the stream readers. */
    private static final String CONSUMERS_BEAN = "qnspEventStreamConsumers";
    private static final Path LOGS = Path.of("target", "crash-recovery");

    @Test
    void aKilledInstanceLeavesEveryEventStoredExactlyOnceAfterARestart() throws Exception {
        try (Infrastructure infra = new Infrastructure();
             ServiceInstances restarted = new ServiceInstances(AuditApplication.class, TestRedis.shared(),
                     infra.properties())) {
            Files.createDirectories(LOGS);
            try (KillableProcess first = KillableProcess.start(AuditApplication.class, infra.properties(),
                    LOGS.resolve("killed-instance.log"))) {
                await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                        .failFast("the first instance exited; see " + first.log, () -> !first.isAlive())
                        .until(infra::bothStreamsAreRead);
                // SIGKILL while the readers wait at the lock: nothing of what they hold gets a chance to finish.
                survivesARestart(infra, "killed", held -> first.kill(), restarted::start);
            }
        }
    }

    @Test
    void anInstanceStoppedMidFlowLeavesEveryEventStoredExactlyOnceAfterARestart() throws Exception {
        try (Infrastructure infra = new Infrastructure();
             ServiceInstances instances = new ServiceInstances(AuditApplication.class, TestRedis.shared(),
                     infra.properties())) {
            instances.start();
            await().atMost(DEADLINE).until(infra::bothStreamsAreRead);
            survivesARestart(infra, "stopped", held -> stopWhileHeld(instances, held), instances::start);
        }
    }

    /** How the first instance goes away while its readers wait at the lock; it may release the lock itself. */
    @FunctionalInterface
    private interface Departure {
        void leave(TableLock held) throws Exception;
    }

    /**
     * A graceful stop: each reader is told to stop while it waits at the lock, then the lock goes, so the reader
     * finishes the message in hand and leaves the rest of its batch pending, as a stop in the middle of a batch does.
     * Releasing earlier would let a reader finish its whole batch before it hears of the stop.
     */
    private static void stopWhileHeld(ServiceInstances instances, TableLock held) throws Exception {
        Lifecycle consumers = instances.context(0).getBean(CONSUMERS_BEAN, Lifecycle.class);
        ExecutorService stopper = Executors.newSingleThreadExecutor();
        try {
            Future<?> stopped = stopper.submit(() -> instances.stop(0));
            await().atMost(DEADLINE)
                    .failFast("the instance stopped without stopping its readers",
                            () -> stopped.isDone() && consumers.isRunning())
                    .until(() -> !consumers.isRunning());
            held.release();
            stopped.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            stopper.shutdownNow();
        }
    }

    private static void survivesARestart(Infrastructure infra, String how, Departure departure, Runnable startNext)
            throws Exception {
        Plan plan = Plan.of("tenant-" + UUID.randomUUID());

        // The first instance in flow: it reads, stores and acknowledges, and is done with all of it.
        plan.inFlow().forEach(infra.events::publish);
        long storedInFlow = Plan.distinctEvents(plan.inFlow());
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() ->
                infra.stored(plan.tenant()) == storedInFlow
                        && Infrastructure.STREAMS.stream().allMatch(infra::fullyAcknowledged));

        // Held: both readers read a full batch and wait at the lock with it, then the instance goes away.
        try (TableLock held = infra.lockConsumedEvents()) {
            infra.events.publishAtOnce(plan.held());
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(() ->
                    Infrastructure.STREAMS.stream().allMatch(stream -> infra.pendingCount(stream) >= 2));
            assertThat(infra.stored(plan.tenant())).as("the readers wait at the lock: none of the held is stored")
                    .isEqualTo(storedInFlow);
            departure.leave(held);
        }
        Map<String, Long> pendingAtStop = new LinkedHashMap<>();
        int storedOfPending = 0;
        for (String stream : Infrastructure.STREAMS) {
            List<PendingMessage> pending = infra.pending(stream);
            pendingAtStop.put(stream, (long) pending.size());
            storedOfPending += infra.alreadyStored(stream, pending);
        }
        Set<String> firstConsumers = infra.consumerNames();
        assertThat(pendingAtStop).as("the instance went away holding delivered but unacknowledged messages")
                .allSatisfy((stream, pending) -> assertThat(pending).as(stream).isPositive());

        // While no instance runs, so that the next one also finds messages nobody has read.
        plan.whileDown().forEach(infra.events::publish);
        Map<String, Long> unreadAtRestart = new LinkedHashMap<>();
        for (String stream : Infrastructure.STREAMS) {
            unreadAtRestart.put(stream, infra.unread(stream));
        }
        long restarting = System.nanoTime();
        startNext.run();
        long restarted = System.nanoTime();
        // While the next instance runs and takes over what the first left pending.
        plan.afterRestart().forEach(infra.events::publish);

        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(infra.count("audit_event", plan.tenant())).isEqualTo(AUDIT_EVENTS);
            assertThat(infra.count("request_log", plan.tenant())).isEqualTo(REQUEST_EVENTS);
            for (String stream : Infrastructure.STREAMS) {
                assertThat(infra.fullyAcknowledged(stream)).as("every message of %s read and acknowledged", stream)
                        .isTrue();
            }
        });

        long settled = System.nanoTime();

        assertThat(infra.eventIds("audit_event", plan.tenant())).hasSize(AUDIT_EVENTS).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(plan.auditIds());
        assertThat(infra.eventIds("request_log", plan.tenant())).hasSize(REQUEST_EVENTS).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(plan.requestIds());
        // one consumed-event row per event id: each event was handled once, however often its message came
        Set<UUID> allIds = new HashSet<>(plan.auditIds());
        allIds.addAll(plan.requestIds());
        assertThat(infra.consumedIds()).hasSize(AUDIT_EVENTS + REQUEST_EVENTS).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(allIds);
        for (String stream : Infrastructure.STREAMS) {
            assertThat(infra.pendingCount(stream)).as("XPENDING of %s", stream).isZero();
            assertThat(infra.redis.opsForStream().size(infra.key(stream)))
                    .as("every message published to %s is on the stream", stream)
                    .isEqualTo(plan.messagesOn(stream));
            assertThat(infra.redis.hasKey(infra.key(stream) + ":dead-letter")).as("dead letters of %s", stream)
                    .isFalse();
        }
        assertThat(infra.consumerNames()).as("the restarted instance joined under a name of its own")
                .hasSizeGreaterThan(firstConsumers.size()).containsAll(firstConsumers);

        log.info("Instance {} with {} of {} messages ({} events, {} duplicates) published and {} events stored; "
                        + "pending then {} ({} of them already stored); unread when the next started {}; the next "
                        + "started in {} ms; all stored once {} ms later", how, IN_FLOW + HELD,
                plan.messages().size(), AUDIT_EVENTS + REQUEST_EVENTS,
                plan.messages().size() - AUDIT_EVENTS - REQUEST_EVENTS, storedInFlow, pendingAtStop,
                storedOfPending, unreadAtRestart, millis(restarted - restarting), millis(settled - restarted));
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    /** What is published: three audit events to one request log, and now and then an earlier event once more. */
    private record Plan(String tenant, List<OutboxEvent> messages, Set<UUID> auditIds, Set<UUID> requestIds) {

        static Plan of(String tenant) {
            List<OutboxEvent> events = new ArrayList<>();
            for (int i = 0; i < AUDIT_EVENTS + REQUEST_EVENTS; i++) {
                events.add(i % 4 == 3
                        ? TestEvents.request(tenant, Instant.now(), "GET", "/api/v1/keys/" + i, 200, i % 50,
                        "key_" + i % 7, i % 11 == 0)
                        : TestEvents.audit(tenant, "test.event." + i));
            }
            List<OutboxEvent> messages = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                messages.add(events.get(i));
                if ((i + 1) % DUPLICATE_EVERY == 0) {
                    messages.add(events.get(i - 100));
                }
            }
            // Published after the restart: events the first instance stored long before it went away.
            messages.addAll(events.subList(0, 4));
            Set<UUID> auditIds = new LinkedHashSet<>();
            Set<UUID> requestIds = new LinkedHashSet<>();
            for (OutboxEvent event : events) {
                (event instanceof AuditEvent ? auditIds : requestIds).add(event.eventId());
            }
            return new Plan(tenant, List.copyOf(messages), auditIds, requestIds);
        }

        List<OutboxEvent> inFlow() {
            return messages.subList(0, IN_FLOW);
        }

        List<OutboxEvent> held() {
            return messages.subList(IN_FLOW, IN_FLOW + HELD);
        }

        List<OutboxEvent> whileDown() {
            return messages.subList(IN_FLOW + HELD, IN_FLOW + HELD + WHILE_DOWN);
        }

        List<OutboxEvent> afterRestart() {
            return messages.subList(IN_FLOW + HELD + WHILE_DOWN, messages.size());
        }

        static long distinctEvents(List<OutboxEvent> messages) {
            return messages.stream().map(OutboxEvent::eventId).distinct().count();
        }

        long messagesOn(String stream) {
            return messages.stream().filter(message -> message.stream().equals(stream)).count();
        }
    }

    /** The service in a JVM of its own, so that it can be killed as an orchestrator or the OOM killer does. */
    private static final class KillableProcess implements AutoCloseable {

        private final Process process;
        private final Path log;

        private KillableProcess(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static KillableProcess start(Class<?> application, Map<String, Object> properties, Path log)
                throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // a quicker start on a small machine: the quick compiler only, one garbage collector thread
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-XX:+UseSerialGC");
            command.add(application.getName());
            command.add("--spring.profiles.active=test");
            properties.forEach((name, value) -> command.add("--" + name + "=" + value));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // the test's own class path, which holds the service, its test profile and the drivers
            builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
            return new KillableProcess(builder.start(), log);
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** SIGKILL: no shutdown hook, no lifecycle stop, no last acknowledgement. */
        void kill() {
            process.destroyForcibly();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the killed instance did not exit");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                kill();
            }
        }
    }

    /**
     * A database and a Redis key prefix of the test's own, seen from outside the instances. Its properties go to
     * {@link ServiceInstances} as extra properties, which win over the database and prefix it would pick itself, so
     * that the separate process and the in-process instances share them.
     */
    private static final class Infrastructure implements AutoCloseable {

        static final List<String> STREAMS = List.of(AuditEvent.STREAM, RequestLogEvent.STREAM);

        private final Map<String, Object> properties = new LinkedHashMap<>();
        private final TestPostgres postgres;
        private final String database;
        private final LettuceConnectionFactory connections;
        private final StringRedisTemplate redis;
        private final JdbcTemplate jdbc;
        private final RedisKeys keys;
        private final TestEvents events;

        Infrastructure() {
            postgres = TestPostgres.shared();
            TestRedis testRedis = TestRedis.shared();
            database = postgres.createDatabase("IngestionCrashRecovery");
            String prefix = "c" + UUID.randomUUID().toString().substring(0, 8) + ":";
            properties.put("spring.datasource.url", database);
            properties.put("spring.datasource.username", postgres.user());
            properties.put("spring.datasource.password", postgres.password());
            properties.put("spring.data.redis.url", "redis://" + testRedis.host() + ":" + testRedis.port());
            properties.put("qnsp.redis.key-prefix", prefix);
            properties.put("server.port", 0);
            // short, so that the next instance reclaims what the first left pending within the test
            properties.put("qnsp.events.consumer.claim-idle", "1s");
            connections = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration(testRedis.host(), testRedis.port()));
            connections.afterPropertiesSet();
            connections.start();
            redis = new StringRedisTemplate(connections);
            jdbc = new JdbcTemplate(new DriverManagerDataSource(database, postgres.user(), postgres.password()));
            keys = new RedisKeys(prefix);
            events = new TestEvents(redis, keys, JsonMapper.builder().build(), jdbc);
        }

        Map<String, Object> properties() {
            return Map.copyOf(properties);
        }

        String key(String stream) {
            return events.streamKey(stream);
        }

        long stored(String tenant) {
            return count("audit_event", tenant) + count("request_log", tenant);
        }

        long count(String table, String tenant) {
            return events.count("SELECT count(*) FROM audit." + table + " WHERE tenant_id = ?", tenant);
        }

        List<UUID> eventIds(String table, String tenant) {
            return jdbc.queryForList("SELECT event_id FROM audit." + table + " WHERE tenant_id = ?", UUID.class,
                    tenant);
        }

        List<UUID> consumedIds() {
            return jdbc.queryForList("SELECT event_id FROM " + CONSUMED_EVENTS + " WHERE consumer_group = ?",
                    UUID.class, GROUP);
        }

        /** The readers create the group when they start (Redis lists a consumer only once it was given messages). */
        boolean bothStreamsAreRead() {
            return STREAMS.stream().allMatch(stream -> group(stream) != null);
        }

        Set<String> consumerNames() {
            Set<String> names = new HashSet<>();
            for (String stream : STREAMS) {
                redis.opsForStream().consumers(key(stream), GROUP)
                        .forEach(consumer -> names.add(consumer.consumerName()));
            }
            return names;
        }

        /** Holds every reader transaction at its first statement, the insert of the consumed event id. */
        TableLock lockConsumedEvents() {
            return TableLock.exclusive(database, postgres.user(), postgres.password(), CONSUMED_EVENTS);
        }

        /** XPENDING's count for the group: messages delivered to a reader and not acknowledged. */
        long pendingCount(String stream) {
            return redis.opsForStream().pending(key(stream), GROUP).getTotalPendingMessages();
        }

        List<PendingMessage> pending(String stream) {
            List<PendingMessage> pending = new ArrayList<>();
            redis.opsForStream().pending(key(stream), GROUP, Range.unbounded(), 1000).forEach(pending::add);
            return pending;
        }

        /** How many of these pending messages carry an event whose transaction had committed: killed before the ack. */
        int alreadyStored(String stream, List<PendingMessage> pending) {
            int stored = 0;
            for (PendingMessage message : pending) {
                String id = message.getIdAsString();
                List<MapRecord<String, Object, Object>> entry = redis.opsForStream().range(key(stream),
                        Range.closed(id, id));
                if (!entry.isEmpty() && events.count("SELECT count(*) FROM " + CONSUMED_EVENTS
                                + " WHERE consumer_group = ? AND event_id = ?", GROUP,
                        UUID.fromString(String.valueOf(entry.getFirst().getValue().get("eventId")))) == 1) {
                    stored++;
                }
            }
            return stored;
        }

        /** Messages after the group's last delivered one: published but read by no instance yet. */
        long unread(String stream) {
            StreamInfo.XInfoGroup group = group(stream);
            return redis.opsForStream().range(key(stream),
                    Range.rightUnbounded(Range.Bound.exclusive(group.lastDeliveredId())),
                    Limit.limit().count(100_000)).size();
        }

        boolean fullyAcknowledged(String stream) {
            StreamInfo.XInfoGroup group = group(stream);
            List<MapRecord<String, Object, Object>> last = redis.opsForStream().reverseRange(key(stream),
                    Range.unbounded(), Limit.limit().count(1));
            return group != null && group.pendingCount() == 0 && !last.isEmpty()
                    && last.getFirst().getId().getValue().equals(group.lastDeliveredId());
        }

        private StreamInfo.XInfoGroup group(String stream) {
            if (!Boolean.TRUE.equals(redis.hasKey(key(stream)))) {
                return null;
            }
            return redis.opsForStream().groups(key(stream)).stream()
                    .filter(group -> group.groupName().equals(GROUP)).findFirst().orElse(null);
        }

        @Override
        public void close() {
            connections.destroy();
        }
    }
}
