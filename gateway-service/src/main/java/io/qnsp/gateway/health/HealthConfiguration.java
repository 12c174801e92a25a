package io.qnsp.gateway.health;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/** The gateway's health endpoints and the readiness checks behind them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReadinessProperties.class)
class HealthConfiguration {

    @Bean
    ReadinessChecks readinessChecks(ReactiveRedisConnectionFactory redis, RouteLocator routes,
                                    ReadinessProperties properties) {
        return new ReadinessChecks(redis, routes, properties);
    }
}
