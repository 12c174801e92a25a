package io.qnsp.gateway.requestlog;

import io.micrometer.core.instrument.MeterRegistry;
import io.qnsp.common.redis.RedisKeys;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The request log: a recorder of each answered API request and the buffer sending the events to Redis. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RequestLogProperties.class)
@ConditionalOnProperty(name = "qnsp.gateway.request-log.enabled", matchIfMissing = true)
class RequestLogConfiguration {

    @Bean
    RequestLogBuffer requestLogBuffer(ReactiveStringRedisTemplate redis, RedisKeys keys, RequestLogProperties properties,
                                      MeterRegistry meters) {
        return new RequestLogBuffer(redis, keys, properties, meters);
    }

    @Bean
    RequestLogRecorder requestLogRecorder(RequestLogBuffer buffer) {
        return new RequestLogRecorder(buffer);
    }
}
