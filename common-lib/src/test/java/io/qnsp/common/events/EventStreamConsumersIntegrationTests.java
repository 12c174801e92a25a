package io.qnsp.common.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qnsp.common.redis.RedisAutoConfiguration;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = EventStreamConsumersIntegrationTests.App.class, properties = {
        "qnsp.events.relay-interval=50ms",
        "qnsp.events.consumer.poll-interval=20ms",
        "qnsp.events.consumer.claim-idle=300ms",
        "qnsp.events.consumer.max-deliveries=3"})
@EmbeddedInfrastructure
class EventStreamConsumersIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String GROUP = "test-consumer";

    @Autowired
    EventOutbox outbox;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    @Autowired
    Handlers handlers;

    @Autowired
    MeterRegistry meters;

    @Test
    void aDuplicateDeliveryOfOneEventIdIsStoredOnce() {
        TestEvent event = TestEvent.on("dedupe", "once");
        String key = keys.key("events:dedupe");
        outbox.append(event);
        await().atMost(DEADLINE).until(() -> handlers.storedCount(event) == 1 && fullyAcknowledged(key));

        // What a relay does when its mark was lost after XADD: the same event again, under a new entry id.
        MapRecord<String, Object, Object> original = TestEventInfrastructure.entries(redis, key).getFirst();
        RecordId copy = redis.opsForStream().add(StreamRecords.newRecord().in(key).ofMap(original.getValue()));
        await().atMost(DEADLINE).until(() -> copy.getValue().equals(group(key).lastDeliveredId())
                && fullyAcknowledged(key));

        assertThat(handlers.storedCount(event)).isEqualTo(1);
        assertThat(handlers.calls(event)).isEqualTo(1);
        assertThat(handlers.consumedCount(event)).isEqualTo(1);
        assertThat(outcomes("dedupe", "duplicate")).isEqualTo(1.0);
    }

    @Test
    void aFailedHandlerRollsBackLeavesTheMessagePendingAndTheRetryStoresIt() {
        TestEvent event = TestEvent.on("retry", "fails once");
        String key = keys.key("events:retry");
        outbox.append(event);

        // First call wrote a row and threw; the second (after the claim idle time) is held inside its transaction.
        await().atMost(DEADLINE).until(() -> handlers.calls(event) == 2);
        assertThat(handlers.storedCount(event)).isZero();
        assertThat(handlers.consumedCount(event)).isZero();
        PendingMessages pending = redis.opsForStream().pending(key, GROUP, Range.unbounded(), 10);
        assertThat(pending).singleElement()
                .extracting(PendingMessage::getTotalDeliveryCount).isEqualTo(2L);

        handlers.releaseRetry.countDown();
        await().atMost(DEADLINE).until(() -> fullyAcknowledged(key));
        assertThat(handlers.storedCount(event)).isEqualTo(1);
        assertThat(handlers.consumedCount(event)).isEqualTo(1);
        assertThat(outcomes("retry", "failed")).isEqualTo(1.0);
        assertThat(outcomes("retry", "handled")).isEqualTo(1.0);
    }

    @Test
    void theMessageIsAcknowledgedOnlyAfterTheHandlersTransactionCommitted() {
        TestEvent event = TestEvent.on("commit", "ack after commit");
        String key = keys.key("events:commit");
        outbox.append(event);

        await().atMost(DEADLINE).until(() -> !handlers.pendingAtCommit.isEmpty() && fullyAcknowledged(key));
        assertThat(handlers.pendingAtCommit).containsExactly(1L);
        assertThat(handlers.storedCount(event)).isEqualTo(1);
    }

    @Test
    void aMessageThatKeepsFailingMovesToTheDeadLetterStreamAfterMaxDeliveries() {
        TestEvent event = TestEvent.on("poison", "always fails");
        String key = keys.key("events:poison");
        String deadLetter = keys.key("events:poison:dead-letter");
        outbox.append(event);

        await().atMost(DEADLINE).until(() -> !TestEventInfrastructure.entries(redis, deadLetter).isEmpty());
        await().atMost(DEADLINE).until(() -> fullyAcknowledged(key));
        List<MapRecord<String, Object, Object>> dead = TestEventInfrastructure.entries(redis, deadLetter);
        assertThat(dead).hasSize(1);
        Map<Object, Object> fields = dead.getFirst().getValue();
        assertThat(fields).containsEntry("eventId", event.eventId().toString())
                .containsEntry("group", GROUP)
                .containsEntry("deliveries", "3")
                .containsEntry("sourceId", TestEventInfrastructure.entries(redis, key).getFirst().getId().getValue())
                .containsKeys("type", "occurredAt", "payload");
        assertThat(handlers.calls(event)).isEqualTo(3);
        assertThat(handlers.consumedCount(event)).isZero();
        assertThat(outcomes("poison", "dead_lettered")).isEqualTo(1.0);
    }

    private boolean fullyAcknowledged(String key) {
        StreamInfo.XInfoGroup group = group(key);
        return group != null && group.pendingCount() == 0
                && group.lastDeliveredId().equals(TestEventInfrastructure.entries(redis, key).getLast().getId()
                .getValue());
    }

    private StreamInfo.XInfoGroup group(String key) {
        if (!Boolean.TRUE.equals(redis.hasKey(key))) {
            return null;
        }
        return redis.opsForStream().groups(key).stream()
                .filter(group -> group.groupName().equals(GROUP)).findFirst().orElse(null);
    }

    private double outcomes(String stream, String outcome) {
        return meters.counter("qnsp.events.consumer.messages", "stream", stream, "group", GROUP, "outcome", outcome)
                .count();
    }

    /** The handlers of the test streams, writing to a table of their own in the consumer's transaction. */
    static final class Handlers {

        private final JdbcTemplate jdbc;
        private final StringRedisTemplate redis;
        private final RedisKeys keys;
        private final Map<UUID, AtomicInteger> calls = new ConcurrentHashMap<>();
        final CountDownLatch releaseRetry = new CountDownLatch(1);
        final List<Long> pendingAtCommit = new CopyOnWriteArrayList<>();

        Handlers(DataSource dataSource, StringRedisTemplate redis, RedisKeys keys) {
            this.jdbc = new JdbcTemplate(dataSource);
            this.redis = redis;
            this.keys = keys;
            jdbc.execute("CREATE TABLE handled_event (event_id uuid NOT NULL, note text NOT NULL)");
        }

        void store(TestEvent event) {
            calls.computeIfAbsent(event.eventId(), id -> new AtomicInteger()).incrementAndGet();
            jdbc.update("INSERT INTO handled_event (event_id, note) VALUES (?, ?)", event.eventId(), event.note());
        }

        void failOnceThenWait(TestEvent event) throws InterruptedException {
            store(event);
            if (calls(event) == 1) {
                throw new IllegalStateException("first attempt fails after writing");
            }
            // longer than any wait of the test: the retry stays held until the test has looked at it
            if (!releaseRetry.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never released the retry");
            }
        }

        void storeAndWatchCommit(TestEvent event) {
            store(event);
            String key = keys.key("events:" + event.stream());
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    pendingAtCommit.add(redis.opsForStream().pending(key, GROUP).getTotalPendingMessages());
                }
            });
        }

        void alwaysFail(TestEvent event) {
            store(event);
            throw new IllegalArgumentException("poison");
        }

        int calls(TestEvent event) {
            AtomicInteger count = calls.get(event.eventId());
            return count == null ? 0 : count.get();
        }

        int storedCount(TestEvent event) {
            return jdbc.queryForObject("SELECT count(*) FROM handled_event WHERE event_id = ?", Integer.class,
                    event.eventId());
        }

        int consumedCount(TestEvent event) {
            return jdbc.queryForObject("SELECT count(*) FROM qnsp_consumed_event WHERE event_id = ? "
                    + "AND consumer_group = ?", Integer.class, event.eventId(), GROUP);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class, RedisAutoConfiguration.class,
            EventsAutoConfiguration.class})
    static class App {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        Handlers handlers(DataSource dataSource, StringRedisTemplate redis, RedisKeys keys) {
            return new Handlers(dataSource, redis, keys);
        }

        @Bean
        EventStreamListener<TestEvent> dedupe(Handlers handlers) {
            return new EventStreamListener<>("dedupe", GROUP, TestEvent.class, handlers::store);
        }

        @Bean
        EventStreamListener<TestEvent> retry(Handlers handlers) {
            return new EventStreamListener<>("retry", GROUP, TestEvent.class, handlers::failOnceThenWait);
        }

        @Bean
        EventStreamListener<TestEvent> commit(Handlers handlers) {
            return new EventStreamListener<>("commit", GROUP, TestEvent.class, handlers::storeAndWatchCommit);
        }

        @Bean
        EventStreamListener<TestEvent> poison(Handlers handlers) {
            return new EventStreamListener<>("poison", GROUP, TestEvent.class, handlers::alwaysFail);
        }
    }
}
