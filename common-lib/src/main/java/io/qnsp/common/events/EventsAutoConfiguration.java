package io.qnsp.common.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qnsp.common.redis.RedisAutoConfiguration;
import io.qnsp.common.redis.RedisKeys;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;

/**
 * The transactional outbox on PostgreSQL, its relay to Redis Streams and the stream consumers; active in services
 * that have both a database and Redis.
 */
@AutoConfiguration(after = {RedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
        JacksonAutoConfiguration.class},
        afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
                "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({JdbcTemplate.class, StringRedisTemplate.class})
@ConditionalOnBean({DataSource.class, PlatformTransactionManager.class, RedisConnectionFactory.class})
@EnableConfigurationProperties(EventsProperties.class)
public class EventsAutoConfiguration {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final StringRedisTemplate redis;
    private final MeterRegistry meters;
    private final JsonMapper json;

    EventsAutoConfiguration(DataSource dataSource, PlatformTransactionManager transactionManager,
                            RedisConnectionFactory redisConnectionFactory, ObjectProvider<MeterRegistry> meters,
                            ObjectProvider<JsonMapper> json) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.redis = new StringRedisTemplate(redisConnectionFactory);
        this.meters = meters.getIfUnique(SimpleMeterRegistry::new);
        this.json = json.getIfUnique(() -> JsonMapper.builder().build());
    }

    @Bean
    @DependsOnDatabaseInitialization
    EventSchema qnspEventSchema(EventsProperties properties) {
        return new EventSchema(jdbc, transactions, properties.schemaInitialization());
    }

    // The beans below take the schema only so that its tables exist before any of them touches them.

    @Bean
    OutboxRelay qnspOutboxRelay(EventSchema schema, RedisKeys keys, EventsProperties properties) {
        return new OutboxRelay(jdbc, transactions, redis, keys, properties, meters);
    }

    @Bean
    @ConditionalOnMissingBean(EventOutbox.class)
    EventOutbox eventOutbox(EventSchema schema, OutboxRelay relay) {
        return new JdbcEventOutbox(jdbc, transactions, json, relay);
    }

    @Bean
    EventStreamConsumers qnspEventStreamConsumers(EventSchema schema, ObjectProvider<EventStreamListener<?>> listeners,
                                                  RedisKeys keys, EventsProperties properties) {
        return new EventStreamConsumers(listeners.orderedStream().toList(), redis, jdbc, transactions, json, keys,
                properties, meters);
    }
}
