package io.qnsp.gateway.ratelimit;

import io.qnsp.common.ratelimit.ReactiveRateLimiter;
import io.qnsp.gateway.tenantstatus.SuspensionScope;
import io.qnsp.gateway.web.GatewayErrors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The rate-limit filter on common-lib's reactive engine, and the status route. */
@Configuration(proxyBeanMethods = false)
class RateLimitingConfiguration {

    @Bean
    RateLimitFilter rateLimitFilter(ReactiveRateLimiter limiter, GatewayRateLimitProperties properties,
                                    GatewayErrors errors) {
        return new RateLimitFilter(limiter, new CallerLimits(properties), errors, Clock.systemUTC(),
                properties.enabled());
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
