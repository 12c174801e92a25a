package io.qnsp.common.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.qnsp.common.redis.RedisAutoConfiguration;
import io.qnsp.common.redis.RedisKeys;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Provides the platform's {@link RateLimiter} on the application's Redis, configured by {@code qnsp.ratelimit.*}. */
@AutoConfiguration(after = {DataRedisAutoConfiguration.class, RedisAutoConfiguration.class})
@ConditionalOnBean({StringRedisTemplate.class, RedisKeys.class})
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(RateLimiter.class)
    RateLimiter rateLimiter(StringRedisTemplate redis, RedisKeys keys, RateLimitProperties properties,
                            ObjectProvider<MeterRegistry> registry) {
        RateLimitEngine engine = new RateLimitEngine(properties, registry.getIfAvailable(() -> Metrics.globalRegistry),
                System::nanoTime);
        return new RedisRateLimiter(redis, keys, engine);
    }
}
