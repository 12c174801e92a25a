package io.qnsp.audit.ingestion;

import io.qnsp.audit.AuditApplication;
import io.qnsp.audit.TestEvents;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.OutboxEvent;
import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.ServiceInstances;
import io.qnsp.test.infra.TestPostgres;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * audit-service goes away while events keep arriving, and a new instance takes over on the same database and Redis:
 * afterwards every published event is stored exactly once, nothing is left pending and nothing is dead-lettered.
 */
class IngestionCrashRecoveryIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(IngestionCrashRecoveryIntegrationTests.class);

    private static final int AUDIT_EVENTS = 3000;
    private static final int REQUEST_EVENTS = 1000;
    /** After every so many events, one published 100 events earlier is published again (a relay that lost its mark). */
    private static final int DUPLICATE_EVERY = 250;
    private static final int BURST = 200;
    private static final Duration BURST_PAUSE = Duration.ofMillis(300);
    /**
     * The first instance goes away once it stored this many events, just after a burst: the publisher is still under
     * way and both streams have a backlog, so the readers are in the middle of a batch.
     */
    private static final int STORED_BEFORE_KILL = 1000;
    /** The last tenth of the messages is published only once the new instance runs. */
    private static final double PUBLISHED_BEFORE_RESTART = 0.9;
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String GROUP = "audit-service";
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
                survivesARestart(infra, "killed", first::kill, restarted::start);
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
            survivesARestart(infra, "stopped", () -> instances.stop(0), instances::start);
        }
    }

    private static void survivesARestart(Infrastructure infra, String how, Runnable stopFirst, Runnable startNext)
            throws InterruptedException, TimeoutException {
        Plan plan = Plan.of("tenant-" + UUID.randomUUID());
        Publisher publisher = new Publisher(infra.events, plan.messages(),
                (int) (plan.messages().size() * PUBLISHED_BEFORE_RESTART));
        publisher.start();
        try {
            restartWhilePublishing(infra, how, plan, publisher, stopFirst, startNext);
        } finally {
            publisher.interrupt();
        }
    }

    private static void restartWhilePublishing(Infrastructure infra, String how, Plan plan, Publisher publisher,
                                               Runnable stopFirst, Runnable startNext)
            throws InterruptedException, TimeoutException {
        await().atMost(DEADLINE).until(() -> infra.stored(plan.tenant()) >= STORED_BEFORE_KILL);
        publisher.awaitBurst();
        stopFirst.run();
        int publishedAtKill = publisher.published();
        assertThat(publishedAtKill).as("events were still arriving when the instance went away")
                .isLessThan(publisher.holdAt);
        Map<String, Long> pendingAtKill = new LinkedHashMap<>();
        int storedOfPending = 0;
        for (String stream : Infrastructure.STREAMS) {
            List<PendingMessage> pending = infra.pending(stream);
            pendingAtKill.put(stream, (long) pending.size());
            storedOfPending += infra.alreadyStored(stream, pending);
        }
        Set<String> firstConsumers = infra.consumerNames();
        assertThat(pendingAtKill.values().stream().mapToLong(Long::longValue).sum())
                .as("the instance went away holding delivered but unacknowledged messages").isPositive();

        // While no instance runs the publisher goes on, so the next one also finds messages nobody has read.
        await().atMost(DEADLINE).until(() -> publisher.published() > publishedAtKill);
        Map<String, Long> unreadAtRestart = new LinkedHashMap<>();
        for (String stream : Infrastructure.STREAMS) {
            unreadAtRestart.put(stream, infra.unread(stream));
        }
        long restarting = System.nanoTime();
        startNext.run();
        long restarted = System.nanoTime();
        publisher.resume();
        assertThat(publisher.join(DEADLINE)).as("the publisher finished").isTrue();
        assertThat(publisher.failure).isNull();
        assertThat(publisher.published()).isEqualTo(plan.messages().size());

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
            assertThat(infra.redis.opsForStream().pending(infra.key(stream), GROUP).getTotalPendingMessages())
                    .as("XPENDING of %s", stream).isZero();
            assertThat(infra.redis.opsForStream().size(infra.key(stream)))
                    .as("every message published to %s is on the stream", stream)
                    .isEqualTo(plan.messagesOn(stream));
            assertThat(infra.redis.hasKey(infra.key(stream) + ":dead-letter")).as("dead letters of %s", stream)
                    .isFalse();
        }
        assertThat(infra.consumerNames()).as("the restarted instance joined under a name of its own")
                .hasSizeGreaterThan(firstConsumers.size()).containsAll(firstConsumers);

        log.info("Instance {} after {} of {} messages ({} events, {} duplicates) were published, {} events stored; "
                        + "pending then {} ({} of them already stored); unread when the next started {}; the next "
                        + "started in {} ms; all stored once {} ms later", how, publishedAtKill,
                plan.messages().size(), AUDIT_EVENTS + REQUEST_EVENTS,
                plan.messages().size() - AUDIT_EVENTS - REQUEST_EVENTS, STORED_BEFORE_KILL, pendingAtKill,
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

        long messagesOn(String stream) {
            return messages.stream().filter(message -> message.stream().equals(stream)).count();
        }
    }

    /** Publishes in bursts, like a busy platform, and waits before the last part until told the restart is done. */
    private static final class Publisher extends Thread {

        private final TestEvents events;
        private final List<OutboxEvent> messages;
        private final int holdAt;
        private final CountDownLatch resumed = new CountDownLatch(1);
        private final Phaser bursts = new Phaser(1);
        private final AtomicInteger published = new AtomicInteger();
        private volatile Throwable failure;

        Publisher(TestEvents events, List<OutboxEvent> messages, int holdAt) {
            super("crash-recovery-publisher");
            setDaemon(true);
            this.events = events;
            this.messages = messages;
            this.holdAt = holdAt;
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < messages.size(); i++) {
                    if (i == holdAt && !resumed.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never told to resume");
                    }
                    events.publish(messages.get(i));
                    published.incrementAndGet();
                    if ((i + 1) % BURST == 0) {
                        bursts.arrive();
                        Thread.sleep(BURST_PAUSE);
                    }
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        int published() {
            return published.get();
        }

        /** Returns as soon as the next burst is out. */
        void awaitBurst() throws InterruptedException, TimeoutException {
            bursts.awaitAdvanceInterruptibly(bursts.getPhase(), DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }

        void resume() {
            resumed.countDown();
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
        private final LettuceConnectionFactory connections;
        private final StringRedisTemplate redis;
        private final JdbcTemplate jdbc;
        private final RedisKeys keys;
        private final TestEvents events;

        Infrastructure() {
            TestPostgres postgres = TestPostgres.shared();
            TestRedis testRedis = TestRedis.shared();
            String database = postgres.createDatabase("IngestionCrashRecovery");
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
            return jdbc.queryForList("SELECT event_id FROM audit.qnsp_consumed_event WHERE consumer_group = ?",
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
                if (!entry.isEmpty() && events.count("SELECT count(*) FROM audit.qnsp_consumed_event "
                                + "WHERE consumer_group = ? AND event_id = ?", GROUP,
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
