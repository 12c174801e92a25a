package io.qnsp.gateway.ratelimit;

import io.qnsp.common.ratelimit.RateLimitProperties;
import io.qnsp.common.ratelimit.ReactiveRateLimiter;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.gateway.authentication.PublicPaths;
import io.qnsp.gateway.tenantstatus.SuspensionScope;
import io.qnsp.gateway.web.GatewayErrors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Clock;
import java.util.List;

/**
 * The rate-limit filter on common-lib's reactive engine, the status route, the per-address limit on public paths and
 * the token endpoint's per-client back-off. The clock is the application's {@link Clock} bean when there is one.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitingConfiguration {

    @Bean
    RateLimitFilter rateLimitFilter(ReactiveRateLimiter limiter, GatewayRateLimitProperties properties,
                                    GatewayErrors errors) {
        return new RateLimitFilter(limiter, new CallerLimits(properties), errors, Clock.systemUTC(),
                properties.enabled());
    }

    @Bean
    PublicPathLimit publicPathLimit(ReactiveRateLimiter limiter, PublicPaths gatewayPublicPaths,
                                    GatewayRateLimitProperties properties, GatewayErrors errors) {
        return new PublicPathLimit(limiter, gatewayPublicPaths,
                properties.enabled() ? properties.publicPaths() : new GatewayRateLimitProperties.PublicPaths(0, 0, List.of()),
                errors);
    }

    @Bean
    PublicPathLimitDocumentation publicPathLimitDocumentation(PublicPaths gatewayPublicPaths,
                                                              GatewayRateLimitProperties properties) {
        return new PublicPathLimitDocumentation(gatewayPublicPaths,
                properties.enabled() && properties.publicPaths().enabled());
    }

    @Bean
    ClientFailureLimit clientFailureLimit(ReactiveStringRedisTemplate redis, RedisKeys keys,
                                          RateLimitProperties engine, GatewayRateLimitProperties properties,
                                          ObjectProvider<Clock> clock, GatewayErrors errors) {
        GatewayRateLimitProperties.ClientFailures settings = properties.clientFailures();
        ClientFailures failures = new RedisClientFailures(redis, keys, settings,
                clock.getIfAvailable(Clock::systemUTC), engine);
        return new ClientFailureLimit(failures, settings.path(), errors,
                properties.enabled() && settings.enabled());
    }

    @Bean
    RateLimitStatusDocumentation rateLimitStatusDocumentation(ObjectProvider<SuspensionScope> suspension) {
        SuspensionScope scope = suspension.getIfAvailable();
        return new RateLimitStatusDocumentation(scope != null && scope.applies(RateLimitStatusRoute.PATH));
    }

    @Bean
    RouteLocator rateLimitStatusRouteLocator(RouteLocatorBuilder routes, GatewayErrors errors) {
        RateLimitStatusRoute status = new RateLimitStatusRoute(errors, Clock.systemUTC());
        return routes.routes()
                .route(RateLimitStatusRoute.ID, route -> route.path(RateLimitStatusRoute.PATH)
                        .filters(filters -> filters.filter(status, RateLimitStatusRoute.ORDER))
                        // never reached: the status filter answers
                        .uri("no://op"))
                .build();
    }
}
