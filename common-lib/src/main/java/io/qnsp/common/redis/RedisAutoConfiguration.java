package io.qnsp.common.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.Delay;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Key naming and client behaviour for Redis: commands fail fast while Redis is unreachable instead of queueing,
 * so callers can apply their failure mode at once, and reconnection is retried at least every
 * {@code qnsp.redis.reconnect-max-delay} so an instance is usable again soon after Redis returns.
 */
@AutoConfiguration
@EnableConfigurationProperties(RedisProperties.class)
public class RedisAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RedisKeys redisKeys(RedisProperties properties) {
        return new RedisKeys(properties.keyPrefix());
    }

    @Bean
    LettuceClientConfigurationBuilderCustomizer qnspLettuceFailFast(RedisProperties properties) {
        return builder -> builder
                .commandTimeout(properties.commandTimeout())
                .clientOptions(ClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
                        .build());
    }

    @Bean
    ClientResourcesBuilderCustomizer qnspLettuceReconnectDelay(RedisProperties properties) {
        return builder -> builder.reconnectDelay(Delay.exponential(Duration.ofMillis(10),
                properties.reconnectMaxDelay(), 2, TimeUnit.MILLISECONDS));
    }
}
