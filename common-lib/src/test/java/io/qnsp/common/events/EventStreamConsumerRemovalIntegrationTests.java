package io.qnsp.common.events;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.TestPostgres;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consumers left in a group by crashed instances: removed once their pending messages were claimed, never while
 * messages are still pending on them, and never a running consumer. Idle times are Redis's own, kept short by
 * small thresholds.
 */
class EventStreamConsumerRemovalIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String GROUP = "removal-test";
    private static final Duration POLL = Duration.ofMillis(20);

    private static HikariDataSource dataSource;
    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate redis;
    private static JdbcTemplate jdbc;
    private static TransactionTemplate transactions;

    private final JsonMapper json = JsonMapper.builder().build();
    private final RedisKeys keys = new RedisKeys(TestEventInfrastructure.newKeyPrefix());
    private final Set<UUID> handled = ConcurrentHashMap.newKeySet();
    private final List<EventStreamConsumers> started = new ArrayList<>();
    private final List<SimpleMeterRegistry> meters = new ArrayList<>();

    @BeforeAll
    static void servers() {
        TestPostgres postgres = TestPostgres.shared();
        TestRedis redisServer = TestRedis.shared();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.createDatabase("consumer_removal"));
        dataSource.setUsername(postgres.user());
        dataSource.setPassword(postgres.password());
        dataSource.setMaximumPoolSize(4);
        jdbc = new JdbcTemplate(dataSource);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        new EventSchema(jdbc, transactions, true).create();
        connections = new LettuceConnectionFactory(redisServer.host(), redisServer.port());
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
    }

    @AfterAll
    static void closeServers() {
        connections.destroy();
        dataSource.close();
    }

    @AfterEach
    void stopConsumers() {
        started.forEach(EventStreamConsumers::stop);
    }

    @Test
    void aCrashedConsumersPendingMessagesAreClaimedAndThenTheConsumerIsRemoved() {
        String stream = "crashed";
        String key = EventStreams.key(keys, stream);
        List<UUID> events = List.of(publish(key), publish(key));
        redis.opsForStream().createGroup(key, ReadOffset.from("0"), GROUP);
        // An instance read both messages and died before acknowledging them.
        assertThat(readAs(key, "crashed-instance")).isEqualTo(2);
        assertThat(consumer(key, "crashed-instance").pendingCount()).isEqualTo(2);

        start(stream, Duration.ofMillis(300), Duration.ofMillis(600));

        await().atMost(DEADLINE).until(() -> !consumerNames(key).contains("crashed-instance"));
        // Removal came after the claim: both messages were handled and nothing is pending anywhere in the group.
        assertThat(handled).containsExactlyInAnyOrderElementsOf(events);
        assertThat(redis.opsForStream().pending(key, GROUP).getTotalPendingMessages()).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM qnsp_consumed_event WHERE consumer_group = ?",
                Long.class, GROUP)).isGreaterThanOrEqualTo(2);
        assertThat(consumerNames(key)).hasSize(1);
        assertThat(removed(stream)).isEqualTo(1.0);
    }

    @Test
    void anIdleConsumerWhosePendingMessagesWereNotClaimedYetIsKept() {
        String stream = "unclaimed";
        String key = EventStreams.key(keys, stream);
        UUID event = publish(key);
        redis.opsForStream().createGroup(key, ReadOffset.from("0"), GROUP);
        assertThat(readAs(key, "stuck-instance")).isEqualTo(1);
        publish(key);
        assertThat(readAs(key, "empty-instance")).isEqualTo(1);
        redis.opsForStream().acknowledge(key, GROUP, redis.opsForStream().range(key, Range.unbounded()).getLast()
                .getId());
        Duration removeIdleAfter = Duration.ofMillis(300);
        // Both are idle past the threshold (by Redis's clock) before the first clean-up looks at them.
        await().atMost(DEADLINE).until(() -> consumer(key, "stuck-instance").idleTimeMs() > removeIdleAfter.toMillis()
                && consumer(key, "empty-instance").idleTimeMs() > removeIdleAfter.toMillis());

        // The claim idle time is far away: the stuck message is not taken over during the test.
        start(stream, Duration.ofHours(1), removeIdleAfter);

        await().atMost(DEADLINE).until(() -> !consumerNames(key).contains("empty-instance"));
        StreamInfo.XInfoConsumer stuck = consumer(key, "stuck-instance");
        assertThat(stuck).isNotNull();
        assertThat(stuck.pendingCount()).isEqualTo(1);
        assertThat(redis.opsForStream().pending(key, GROUP, Range.unbounded(), 10))
                .singleElement().satisfies(message -> assertThat(message.getConsumerName()).isEqualTo("stuck-instance"));
        assertThat(handled).doesNotContain(event);
        assertThat(removed(stream)).isEqualTo(1.0);
    }

    @Test
    void runningConsumersAreNeverRemoved() {
        String stream = "live";
        String key = EventStreams.key(keys, stream);
        publish(key);
        redis.opsForStream().createGroup(key, ReadOffset.from("0"), GROUP);
        // An instance that read nothing and stopped without leaving the group.
        readAs(key, "gone-instance");
        redis.opsForStream().acknowledge(key, GROUP, redis.opsForStream().range(key, Range.unbounded()).getFirst()
                .getId());
        Duration claimIdle = Duration.ofMillis(200);
        // Short: on a quiet stream a running consumer's own idle time passes it (a read that finds nothing does
        // not reset it before Redis 7.2), so only the instances' running marks keep them.
        Duration removeIdleAfter = Duration.ofMillis(300);

        // Two running instances of the same service, each cleaning up every 100 ms.
        start(stream, claimIdle, removeIdleAfter);
        start(stream, claimIdle, removeIdleAfter);

        await().atMost(DEADLINE).until(() -> !consumerNames(key).contains("gone-instance"));
        // A consumer joins the group with its first message: publish until both instances have read one.
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> {
            publish(key);
            return consumerNames(key).size() == 2;
        });
        Set<String> running = consumerNames(key);
        await().atMost(DEADLINE).until(() -> redis.opsForStream().pending(key, GROUP).getTotalPendingMessages() == 0);
        int published = redis.opsForStream().range(key, Range.unbounded()).size();
        // Many clean-ups later, still the same two, and the only removal ever made is the stopped instance's.
        await().during(Duration.ofSeconds(2)).atMost(DEADLINE).until(() -> consumerNames(key).equals(running)
                && removed(stream) == 1.0);
        assertThat(handled).hasSize(published - 1);
    }

    private void start(String stream, Duration claimIdle, Duration removeIdleAfter) {
        EventsProperties properties = new EventsProperties(true, Duration.ofSeconds(1), 5, Duration.ofSeconds(1),
                1_000_000, Duration.ofDays(7),
                new EventsProperties.Consumer(claimIdle, 10, POLL, 20, removeIdleAfter));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EventStreamListener<TestEvent> listener = new EventStreamListener<>(stream, GROUP, TestEvent.class,
                event -> handled.add(event.eventId()));
        EventStreamConsumers consumers = new EventStreamConsumers(List.of(listener), redis, jdbc, transactions, json,
                keys, properties, registry);
        meters.add(registry);
        started.add(consumers);
        consumers.start();
    }

    private UUID publish(String key) {
        TestEvent event = TestEvent.on("removal", "published by the test");
        redis.opsForStream().add(StreamRecords.newRecord().in(key).ofMap(Map.of(
                EventStreams.EVENT_ID, event.eventId().toString(),
                EventStreams.PAYLOAD, json.writeValueAsString(event))));
        return event.eventId();
    }

    /** Reads (up to 10) as the named consumer without acknowledging, as an instance does just before it crashes. */
    private int readAs(String key, String consumerName) {
        return redis.opsForStream().read(Consumer.from(GROUP, consumerName), StreamReadOptions.empty().count(10),
                StreamOffset.create(key, ReadOffset.lastConsumed())).size();
    }

    private StreamInfo.XInfoConsumer consumer(String key, String name) {
        return redis.opsForStream().consumers(key, GROUP).stream()
                .filter(consumer -> consumer.consumerName().equals(name)).findFirst().orElse(null);
    }

    private Set<String> consumerNames(String key) {
        return redis.opsForStream().consumers(key, GROUP).stream().map(StreamInfo.XInfoConsumer::consumerName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private double removed(String stream) {
        return meters.stream().mapToDouble(registry -> registry.counter("qnsp.events.consumer.removed",
                "stream", stream, "group", GROUP).count()).sum();
    }
}
