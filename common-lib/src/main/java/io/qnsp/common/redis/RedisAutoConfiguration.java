package io.qnsp.common.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Key naming and client behaviour for Redis: commands fail fast while Redis is unreachable instead of queueing,
 * so callers can apply their failure mode at once.
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
}
