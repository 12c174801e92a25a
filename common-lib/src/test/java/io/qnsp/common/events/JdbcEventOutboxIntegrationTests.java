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
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = JdbcEventOutboxIntegrationTests.App.class, properties = "qnsp.events.relay-interval=50ms")
@EmbeddedInfrastructure
class JdbcEventOutboxIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Autowired
    EventOutbox outbox;

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    @Autowired
    JsonMapper json;

    @Autowired
    MeterRegistry meters;

    @Test
    void committedEventIsPublishedWithItsIdTypeTimeAndPayload() {
        TestEvent event = TestEvent.on("committed", "hello");

        transactions().executeWithoutResult(status -> outbox.append(event));

        String key = keys.key("events:committed");
        await().atMost(DEADLINE).until(() -> TestEventInfrastructure.entries(redis, key).size() == 1);
        Map<Object, Object> fields = TestEventInfrastructure.entries(redis, key).getFirst().getValue();
        assertThat(fields).containsOnlyKeys("eventId", "type", "occurredAt", "payload");
        assertThat(fields.get("eventId")).isEqualTo(event.eventId().toString());
        assertThat(fields.get("type")).isEqualTo(TestEvent.class.getName());
        assertThat(fields.get("occurredAt")).isEqualTo(event.occurredAt().toString());
        assertThat(json.readValue((String) fields.get("payload"), TestEvent.class)).isEqualTo(event);
        assertThat(row(event.eventId())).containsEntry("published", true).containsEntry("attempts", 0);
        assertThat(meters.counter("qnsp.events.outbox.published", "stream", "committed").count()).isEqualTo(1.0);
    }

    @Test
    void eventOfARolledBackTransactionIsNeverStoredNorPublished() {
        TestEvent rolledBack = TestEvent.on("rollback", "never");
        TestEvent committed = TestEvent.on("rollback", "later");

        transactions().executeWithoutResult(status -> {
            outbox.append(rolledBack);
            status.setRollbackOnly();
        });
        assertThatThrownBy(() -> transactions().executeWithoutResult(status -> {
            outbox.append(TestEvent.on("rollback", "failed business rule"));
            throw new IllegalStateException("business rule failed after the event was appended");
        })).isInstanceOf(IllegalStateException.class);

        String key = keys.key("events:rollback");
        assertThat(rowCount()).isZero();

        // The relay publishes in creation order, so once a later event is out, an earlier one would be too: no
        // waiting for something that must not happen.
        transactions().executeWithoutResult(status -> outbox.append(committed));
        await().atMost(DEADLINE).until(() -> !TestEventInfrastructure.entries(redis, key).isEmpty());
        assertThat(TestEventInfrastructure.eventIds(redis, key)).containsExactly(committed.eventId().toString());
        assertThat(row(rolledBack.eventId())).isEmpty();
    }

    @Test
    void appendJoinsTheCallersTransaction() {
        TestEvent event = TestEvent.on("joined", "with the change");

        transactions().executeWithoutResult(status -> {
            outbox.append(event);
            // Another connection must not see the row before the caller commits.
            assertThat(countFromOtherConnection(event.eventId())).isZero();
        });

        assertThat(countFromOtherConnection(event.eventId())).isEqualTo(1);
        await().atMost(DEADLINE).until(() -> !TestEventInfrastructure.entries(redis, keys.key("events:joined")).isEmpty());
    }

    @Test
    void appendWithoutATransactionCommitsOnItsOwn() {
        TestEvent event = TestEvent.on("alone", "no transaction");

        outbox.append(event);

        assertThat(countFromOtherConnection(event.eventId())).isEqualTo(1);
        await().atMost(DEADLINE).until(() -> TestEventInfrastructure.eventIds(redis, keys.key("events:alone"))
                .contains(event.eventId().toString()));
    }

    @Test
    void rejectsEventsThatCannotBeRelayed() {
        TestEvent noId = new TestEvent(null, Instant.now(), "bad", "no id");
        TestEvent badStream = TestEvent.on("Bad Stream!", "unusable key");

        assertThatThrownBy(() -> outbox.append(noId)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> outbox.append(badStream)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new JdbcTemplate(dataSource).queryForObject(
                "SELECT count(*) FROM qnsp_event_outbox WHERE stream IN ('bad', 'Bad Stream!')", Integer.class)).isZero();
    }

    private TransactionTemplate transactions() {
        return new TransactionTemplate(transactionManager);
    }

    private int rowCount() {
        return new JdbcTemplate(dataSource).queryForObject(
                "SELECT count(*) FROM qnsp_event_outbox WHERE stream = 'rollback'", Integer.class);
    }

    private Map<String, Object> row(UUID eventId) {
        List<Map<String, Object>> rows = new JdbcTemplate(dataSource).queryForList(
                "SELECT published_at IS NOT NULL AS published, attempts FROM qnsp_event_outbox WHERE event_id = ?",
                eventId);
        return rows.isEmpty() ? Map.of() : rows.getFirst();
    }

    private int countFromOtherConnection(UUID eventId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT count(*) FROM qnsp_event_outbox WHERE event_id = ?")) {
            statement.setObject(1, eventId);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
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
    }
}
