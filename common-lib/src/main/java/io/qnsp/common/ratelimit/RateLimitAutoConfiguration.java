package io.qnsp.common.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.qnsp.common.redis.RedisAutoConfiguration;
import io.qnsp.common.redis.RedisKeys;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import reactor.core.publisher.Mono;

/**
 * Provides the platform's {@link RateLimiter} on the application's Redis, and a {@link ReactiveRateLimiter} when
 * the application has a reactive Redis template too; both configured by {@code qnsp.ratelimit.*}.
 */
@AutoConfiguration(after = {DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class,
        RedisAutoConfiguration.class})
@ConditionalOnBean(RedisKeys.class)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitAutoConfiguration {

    @Bean
    @ConditionalOnBean(StringRedisTemplate.class)
    @ConditionalOnMissingBean(RateLimiter.class)
    RateLimiter rateLimiter(StringRedisTemplate redis, RedisKeys keys, RateLimitProperties properties,
                            ObjectProvider<MeterRegistry> registry) {
        return new RedisRateLimiter(redis, keys, engine(properties, registry));
    }

    static RateLimitEngine engine(RateLimitProperties properties, ObjectProvider<MeterRegistry> registry) {
        return new RateLimitEngine(properties, registry.getIfAvailable(() -> Metrics.globalRegistry), System::nanoTime);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({Mono.class, ReactiveStringRedisTemplate.class})
    static class ReactiveRateLimiterConfiguration {

        @Bean
        @ConditionalOnBean(ReactiveStringRedisTemplate.class)
        @ConditionalOnMissingBean(ReactiveRateLimiter.class)
        ReactiveRateLimiter reactiveRateLimiter(ReactiveStringRedisTemplate redis, RedisKeys keys,
                                                RateLimitProperties properties, ObjectProvider<MeterRegistry> registry) {
            return new ReactiveRedisRateLimiter(redis, keys, engine(properties, registry),
                    registry.getIfAvailable(() -> Metrics.globalRegistry));
        }
    }
}
