package io.qnsp.common.events;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.TestPostgres;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StreamOperations;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class OutboxRelayIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void eventCommittedWhileRedisIsDownIsPublishedAndConsumedOnceRedisIsBack() {
        try (TestRedis redis = TestRedis.startPrivate()) {
            String prefix = TestEventInfrastructure.newKeyPrefix();
            TestEventInfrastructure.runner(TestEventInfrastructure.newDatabase("relay_outage"), redis, prefix)
                    .withUserConfiguration(OutageConsumer.class)
                    .withPropertyValues("qnsp.events.relay-interval=50ms", "qnsp.events.max-backoff=500ms",
                            "qnsp.events.consumer.poll-interval=50ms")
                    .run(context -> {
                        EventOutbox outbox = context.getBean(EventOutbox.class);
                        TransactionTemplate transactions =
                                new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
                        JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                        StringRedisTemplate streams =
                                new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
                        MeterRegistry meters = context.getBean(MeterRegistry.class);
                        List<TestEvent> consumed = context.getBean(OutageConsumer.class).consumed;
                        String key = prefix + "events:outage";

                        TestEvent before = TestEvent.on("outage", "while Redis is up");
                        transactions.executeWithoutResult(status -> outbox.append(before));
                        await().atMost(DEADLINE).until(() -> consumed.contains(before));

                        redis.stop();
                        TestEvent during = TestEvent.on("outage", "committed while Redis is down");
                        transactions.executeWithoutResult(status -> outbox.append(during));

                        // The relay tried after commit, failed, and kept the row with the failure recorded.
                        await().atMost(DEADLINE).until(() -> attempts(jdbc, during) >= 1);
                        Map<String, Object> row = jdbc.queryForMap("SELECT published_at, last_error "
                                + "FROM qnsp_event_outbox WHERE event_id = ?", during.eventId());
                        assertThat(row.get("published_at")).isNull();
                        assertThat(row.get("last_error")).asString().isNotBlank();
                        assertThat(meters.get("qnsp.events.outbox.pending").gauge().value()).isEqualTo(1.0);
                        assertThat(meters.get("qnsp.events.outbox.relay.failures").counter().count())
                                .isGreaterThanOrEqualTo(1.0);
                        assertThat(consumed).doesNotContain(during);

                        // A restarted Redis without persistence is empty: the stream and the group are gone.
                        redis.start();
                        await().atMost(DEADLINE).until(() -> TestEventInfrastructure.eventIds(streams, key)
                                .contains(during.eventId().toString()));
                        String payload = (String) TestEventInfrastructure.entries(streams, key).stream()
                                .filter(entry -> entry.getValue().get("eventId").equals(during.eventId().toString()))
                                .findFirst().orElseThrow().getValue().get("payload");
                        assertThat(context.getBean(JsonMapper.class).readValue(payload, TestEvent.class))
                                .isEqualTo(during);
                        assertThat(jdbc.queryForObject("SELECT count(*) FROM qnsp_event_outbox "
                                + "WHERE published_at IS NULL", Integer.class)).isZero();

                        // The consumer re-created its group and received the event.
                        await().atMost(DEADLINE).until(() -> consumed.contains(during));
                        assertThat(consumed).containsExactly(before, during);
                    });
        }
    }

    @Test
    void twoRelaysOnOneTablePublishEachEventExactlyOnce() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        TestRedis redisServer = TestRedis.shared();
        EventsProperties properties = new EventsProperties(true, Duration.ofSeconds(1), 5, Duration.ofSeconds(1),
                1_000_000, Duration.ofDays(7), new EventsProperties.Consumer(Duration.ofSeconds(30), 10,
                Duration.ofMillis(200), 20, Duration.ofMinutes(10)));
        RedisKeys keys = new RedisKeys(TestEventInfrastructure.newKeyPrefix());
        LettuceConnectionFactory connections = new LettuceConnectionFactory(redisServer.host(), redisServer.port());
        connections.afterPropertiesSet();
        connections.start();
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(postgres.createDatabase("two_relays"));
            dataSource.setUsername(postgres.user());
            dataSource.setPassword(postgres.password());
            dataSource.setMaximumPoolSize(4);
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            StringRedisTemplate redis = new StringRedisTemplate(connections);
            new EventSchema(jdbc, transactions, true).create();
            // Each relay's first XADD waits for the other's: each then holds a locked batch while the other locks and
            // publishes one of its own, so both work on the table at once however the two threads are scheduled.
            CyclicBarrier bothPublishing = new CyclicBarrier(2);
            OutboxRelay first = new OutboxRelay(jdbc, transactions, meetingAtFirstPublish(connections, bothPublishing),
                    keys, properties, new SimpleMeterRegistry());
            OutboxRelay second = new OutboxRelay(jdbc, transactions, meetingAtFirstPublish(connections, bothPublishing),
                    keys, properties, new SimpleMeterRegistry());
            // Neither relay is started, so nothing publishes until both are let go together.
            EventOutbox outbox = new JdbcEventOutbox(jdbc, transactions, JsonMapper.builder().build(), first);
            List<TestEvent> events = IntStream.range(0, 300).mapToObj(i -> TestEvent.on("pair", "event " + i)).toList();
            transactions.executeWithoutResult(status -> events.forEach(outbox::append));

            CountDownLatch go = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Future<Integer> byFirst = threads.submit(() -> {
                    go.await();
                    return first.relayPending();
                });
                Future<Integer> bySecond = threads.submit(() -> {
                    go.await();
                    return second.relayPending();
                });
                go.countDown();
                int publishedByFirst = byFirst.get();
                int publishedBySecond = bySecond.get();

                // Both worked on the table at the same time, and no row went out twice.
                assertThat(publishedByFirst).isPositive();
                assertThat(publishedBySecond).isPositive();
                assertThat(publishedByFirst + publishedBySecond).isEqualTo(events.size());
            } finally {
                threads.shutdownNow();
            }
            List<String> published = TestEventInfrastructure.eventIds(redis, keys.key("events:pair"));
            assertThat(published).hasSize(events.size()).doesNotHaveDuplicates();
            assertThat(Set.copyOf(published)).isEqualTo(events.stream().map(event -> event.eventId().toString())
                    .collect(Collectors.toSet()));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM qnsp_event_outbox WHERE published_at IS NULL",
                    Integer.class)).isZero();
        } finally {
            connections.destroy();
        }
    }

    @Test
    void publishedRowsAndConsumedIdsOlderThanTheRetentionAreDeleted() {
        TestRedis redis = TestRedis.shared();
        TestEventInfrastructure.runner(TestEventInfrastructure.newDatabase("retention"), redis,
                        TestEventInfrastructure.newKeyPrefix())
                .withPropertyValues("qnsp.events.relay-interval=50ms", "qnsp.events.retention=300ms")
                .run(context -> {
                    EventOutbox outbox = context.getBean(EventOutbox.class);
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                    TestEvent published = TestEvent.on("retained", "short-lived");
                    outbox.append(published);
                    jdbc.update("INSERT INTO qnsp_consumed_event (consumer_group, event_id, consumed_at) "
                            + "VALUES ('billing', ?, now() - interval '1 hour')", published.eventId());
                    UUID recent = UUID.randomUUID();
                    jdbc.update("INSERT INTO qnsp_consumed_event (consumer_group, event_id, consumed_at) "
                            + "VALUES ('billing', ?, now() + interval '1 hour')", recent);

                    await().atMost(DEADLINE).until(() -> jdbc.queryForObject(
                            "SELECT count(*) FROM qnsp_event_outbox WHERE event_id = ?", Integer.class,
                            published.eventId()) == 0);
                    await().atMost(DEADLINE).until(() -> jdbc.queryForObject(
                            "SELECT count(*) FROM qnsp_consumed_event WHERE event_id = ?", Integer.class,
                            published.eventId()) == 0);
                    assertThat(jdbc.queryForList("SELECT event_id FROM qnsp_consumed_event", UUID.class))
                            .containsExactly(recent);
                });
    }

    /** A template whose first stream command waits at the barrier until the other relay's is under way too. */
    private static StringRedisTemplate meetingAtFirstPublish(RedisConnectionFactory connections,
                                                            CyclicBarrier bothPublishing) {
        AtomicBoolean met = new AtomicBoolean();
        return new StringRedisTemplate(connections) {
            @Override
            @SuppressWarnings("unchecked")
            public <HK, HV> StreamOperations<String, HK, HV> opsForStream() {
                StreamOperations<String, HK, HV> streams = super.opsForStream();
                return (StreamOperations<String, HK, HV>) Proxy.newProxyInstance(
                        StreamOperations.class.getClassLoader(), new Class<?>[] {StreamOperations.class},
                        (proxy, method, arguments) -> {
                            if (met.compareAndSet(false, true)) {
                                bothPublishing.await(30, TimeUnit.SECONDS);
                            }
                            try {
                                return method.invoke(streams, arguments);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
    }

    private static int attempts(JdbcTemplate jdbc, TestEvent event) {
        return jdbc.queryForObject("SELECT attempts FROM qnsp_event_outbox WHERE event_id = ?", Integer.class,
                event.eventId());
    }

    @Configuration(proxyBeanMethods = false)
    static class OutageConsumer {

        final List<TestEvent> consumed = new CopyOnWriteArrayList<>();

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        EventStreamListener<TestEvent> outageListener() {
            return new EventStreamListener<>("outage", "outage-consumer", TestEvent.class, consumed::add);
        }
    }
}
