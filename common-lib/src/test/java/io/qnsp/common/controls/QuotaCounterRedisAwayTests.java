package io.qnsp.common.controls;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qnsp.common.redis.RedisKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;

import java.net.ServerSocket;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A quota-controlled call while Redis, which holds the counters, cannot be reached: the failure mode decides. */
class QuotaCounterRedisAwayTests {

    private LettuceConnectionFactory connections;
    private StringRedisTemplate unreachable;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void redisWhereNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        connections.afterPropertiesSet();
        connections.start();
        unreachable = new StringRedisTemplate(connections);
    }

    @AfterEach
    void close() {
        connections.destroy();
    }

    @Test
    void failOpenLetsTheCallThroughUncountedAndCountsItInTheMetric() {
        QuotaCounter counter = counter(ControlsProperties.QuotaFailureMode.FAIL_OPEN);

        QuotaCounter.Unit unit = counter.take("tenant-a", "pro", "kms.keys", 10L);
        unit.giveBack();
        counter.take("tenant-a", "pro", "kms.keys", 10L);

        assertThat(meters.counter("qnsp.controls.quota.uncounted", "resource", "kms.keys").count()).isEqualTo(2.0);
    }

    @Test
    void failClosedRefusesTheCallWith503() {
        QuotaCounter counter = counter(ControlsProperties.QuotaFailureMode.FAIL_CLOSED);

        assertThatThrownBy(() -> counter.take("tenant-a", "pro", "kms.keys", 10L))
                .isInstanceOfSatisfying(ControlDenied.class,
                        denied -> assertThat(denied.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
        assertThat(meters.find("qnsp.controls.quota.uncounted").counter()).isNull();
    }

    private QuotaCounter counter(ControlsProperties.QuotaFailureMode mode) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("redis", unreachable,
                "keys", new RedisKeys(""), "meters", meters));
        return new QuotaCounter(beans.getBeanProvider(StringRedisTemplate.class), beans.getBeanProvider(RedisKeys.class),
                beans.getBeanProvider(io.micrometer.core.instrument.MeterRegistry.class),
                new ControlsProperties(Map.of(), QuotaWindow.MONTH, mode), Clock.systemUTC());
    }
}
