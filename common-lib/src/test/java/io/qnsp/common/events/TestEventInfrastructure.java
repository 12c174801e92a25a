package io.qnsp.common.events;

import io.qnsp.common.redis.RedisAutoConfiguration;
import io.qnsp.test.infra.TestPostgres;
import io.qnsp.test.infra.TestRedis;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.util.List;
import java.util.UUID;

/** Fixtures for the events tests: contexts on real servers and readers of the streams they write. */
final class TestEventInfrastructure {

    static final AutoConfigurations EVENTS = AutoConfigurations.of(DataSourceAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class, DataRedisAutoConfiguration.class,
            JacksonAutoConfiguration.class, RedisAutoConfiguration.class, EventsAutoConfiguration.class);

    private TestEventInfrastructure() {
    }

    /** A context runner with the events auto-configuration on the given database and Redis. */
    static ApplicationContextRunner runner(String jdbcUrl, TestRedis redis, String keyPrefix) {
        TestPostgres postgres = TestPostgres.shared();
        return new ApplicationContextRunner()
                .withConfiguration(EVENTS)
                .withPropertyValues(
                        "spring.datasource.url=" + jdbcUrl,
                        "spring.datasource.username=" + postgres.user(),
                        "spring.datasource.password=" + postgres.password(),
                        "spring.data.redis.host=" + redis.host(),
                        "spring.data.redis.port=" + redis.port(),
                        "qnsp.redis.key-prefix=" + keyPrefix);
    }

    static String newDatabase(String hint) {
        return TestPostgres.shared().createDatabase(hint);
    }

    static String newKeyPrefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    static List<MapRecord<String, Object, Object>> entries(StringRedisTemplate redis, String key) {
        return redis.opsForStream().range(key, Range.unbounded());
    }

    static List<String> eventIds(StringRedisTemplate redis, String key) {
        return entries(redis, key).stream()
                .map(entry -> String.valueOf(entry.getValue().get(EventStreams.EVENT_ID)))
                .toList();
    }
}
