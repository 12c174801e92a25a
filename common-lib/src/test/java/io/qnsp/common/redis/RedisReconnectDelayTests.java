package io.qnsp.common.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After a long outage an instance tries to reconnect at least every {@code qnsp.redis.reconnect-max-delay}, not at
 * the Redis client's own bound of 30 s, during which every command would be refused although Redis is back.
 */
class RedisReconnectDelayTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisAutoConfiguration.class));

    @Test
    void attemptsStartAtMillisecondsAndNeverWaitLongerThanASecond() {
        runner.run(context -> {
            Delay delay = context.getBean(ClientResources.class).reconnectDelay();
            assertThat(delay.createDelay(1)).isLessThanOrEqualTo(Duration.ofMillis(20));
            // the twentieth attempt in a row, some minutes into an outage
            assertThat(delay.createDelay(20)).isEqualTo(Duration.ofSeconds(1));
        });
    }

    @Test
    void theLongestWaitIsASetting() {
        runner.withPropertyValues("qnsp.redis.reconnect-max-delay=3s").run(context ->
                assertThat(context.getBean(ClientResources.class).reconnectDelay().createDelay(20))
                        .isEqualTo(Duration.ofSeconds(3)));
    }
}
