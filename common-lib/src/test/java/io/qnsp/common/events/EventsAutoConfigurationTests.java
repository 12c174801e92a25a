package io.qnsp.common.events;

import io.qnsp.common.redis.RedisAutoConfiguration;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventsAutoConfigurationTests {

    @Test
    void withoutADatabaseThereIsNoOutbox() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                        JacksonAutoConfiguration.class, RedisAutoConfiguration.class, EventsAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(EventOutbox.class);
                    assertThat(context).doesNotHaveBean(OutboxRelay.class);
                    assertThat(context).doesNotHaveBean(EventStreamConsumers.class);
                });
    }

    @Test
    void withADatabaseAndRedisTheOutboxRelayAndConsumersRun() {
        TestEventInfrastructure.runner(TestEventInfrastructure.newDatabase("events_on"), TestRedis.shared(),
                        TestEventInfrastructure.newKeyPrefix())
                .run(context -> {
                    assertThat(context).hasSingleBean(EventOutbox.class);
                    assertThat(context.getBean(OutboxRelay.class).isRunning()).isTrue();
                    assertThat(context.getBean(EventStreamConsumers.class).isRunning()).isTrue();
                });
    }

    @Test
    void consumersReadUntilTheContextClosesAndThenLeaveTheirGroup() {
        TestRedis redis = TestRedis.shared();
        String prefix = TestEventInfrastructure.newKeyPrefix();
        String key = prefix + "events:audit";
        LettuceConnectionFactory connections = new LettuceConnectionFactory(redis.host(), redis.port());
        connections.afterPropertiesSet();
        connections.start();
        try {
            StringRedisTemplate streams = new StringRedisTemplate(connections);
            TestEventInfrastructure.runner(TestEventInfrastructure.newDatabase("events_stop"), redis, prefix)
                    .withUserConfiguration(OneListener.class)
                    .withPropertyValues("qnsp.events.consumer.poll-interval=20ms")
                    .run(context -> {
                        // Redis lists a consumer in its group once something was delivered to it.
                        context.getBean(EventOutbox.class).append(new AuditEvent(UUID.randomUUID(), Instant.now(),
                                "t1", "alice", "thing.created", "thing", "1", "success", "r1", "test", Map.of()));
                        await().atMost(Duration.ofSeconds(30)).until(() -> consumers(streams, key) == 1
                                && streams.opsForStream().pending(key, "audit-service").getTotalPendingMessages() == 0);
                    });

            assertThat(consumers(streams, key)).isZero();
        } finally {
            connections.destroy();
        }
    }

    private static long consumers(StringRedisTemplate streams, String key) {
        if (!Boolean.TRUE.equals(streams.hasKey(key))) {
            return -1;
        }
        return streams.opsForStream().groups(key).stream()
                .filter(group -> group.groupName().equals("audit-service"))
                .mapToLong(StreamInfo.XInfoGroup::consumerCount).sum();
    }

    @Test
    void schemaInitializationCanBeSwitchedOff() {
        TestEventInfrastructure.runner(TestEventInfrastructure.newDatabase("events_no_ddl"), TestRedis.shared(),
                        TestEventInfrastructure.newKeyPrefix())
                .withPropertyValues("qnsp.events.schema-initialization=false")
                .run(context -> assertThat(new JdbcTemplate(
                        context.getBean(DataSource.class)).queryForObject("SELECT count(*) FROM "
                        + "information_schema.tables WHERE table_name LIKE 'qnsp_%'", Integer.class)).isZero());
    }

    @Test
    void twoListenersForOneStreamAndGroupAreRejectedAtStartup() {
        TestEventInfrastructure.runner(TestEventInfrastructure.newDatabase("events_twice"), TestRedis.shared(),
                        TestEventInfrastructure.newKeyPrefix())
                .withUserConfiguration(TwoListeners.class)
                .run(context -> assertThat(context).getFailure()
                        .rootCause().hasMessageContaining("more than one EventStreamListener for stream 'audit'"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OneListener {

        @Bean
        EventStreamListener<AuditEvent> auditEvents() {
            return new EventStreamListener<>(AuditEvent.STREAM, "audit-service", AuditEvent.class, event -> { });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoListeners {

        @Bean
        EventStreamListener<AuditEvent> first() {
            return new EventStreamListener<>(AuditEvent.STREAM, "audit-service", AuditEvent.class, event -> { });
        }

        @Bean
        EventStreamListener<AuditEvent> second() {
            return new EventStreamListener<>(AuditEvent.STREAM, "audit-service", AuditEvent.class, event -> { });
        }
    }
}
