package io.qnsp.gateway.web;

import io.qnsp.common.web.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Mono;

import java.util.UUID;
import java.util.regex.Pattern;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * Gives every request an id before anything else runs: the caller's {@code X-Request-Id} when it is well-formed, a
 * new UUID otherwise. The id is kept as {@link ExchangeAttributes#REQUEST_ID}, forwarded to the backend and echoed
 * exactly once on every response, errors included. Each request then leaves one access-log line carrying the id (as
 * the services do), so a request can be followed from the gateway's log into the service's. The line names the route
 * or handler pattern, never the raw path, which can carry a key.
 */
class RequestIdFilter implements WebFilter, Ordered {

    static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    // the services' access logger, so one query finds a request's lines everywhere
    private static final Logger accessLog = LoggerFactory.getLogger("io.qnsp.access");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String id = accept(exchange.getRequest().getHeaders().getFirst(RequestIds.HEADER));
        exchange.getAttributes().put(ExchangeAttributes.REQUEST_ID, id);
        exchange.getResponse().getHeaders().set(RequestIds.HEADER, id);
        // a backend echoes the id too; set it again at commit so the caller sees it once, and ours
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set(RequestIds.HEADER, id);
            return Mono.empty();
        });
        ServerHttpRequest request = exchange.getRequest().mutate()
                .headers(headers -> headers.set(RequestIds.HEADER, id))
                .build();
        ServerWebExchange forwarded = exchange.mutate().request(request).build();
        if (!accessLog.isInfoEnabled() || exchange.getRequest().getPath().value().startsWith("/actuator")) {
            return chain.filter(forwarded);
        }
        long started = System.nanoTime();
        return Answered.then(exchange, chain.filter(forwarded), () -> logAccess(exchange, id, started));
    }

    private static void logAccess(ServerWebExchange exchange, String id, long started) {
        String target = exchange.getAttribute(GATEWAY_ROUTE_ATTR) instanceof Route route ? "route " + route.getId()
                : exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof PathPattern pattern
                ? pattern.getPatternString() : "(unmatched)";
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        try (MDC.MDCCloseable ignored = MDC.putCloseable(RequestIds.MDC_KEY, id)) {
            accessLog.info("{} {} {} {}ms", exchange.getRequest().getMethod(), target,
                    status == null ? 200 : status.value(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    static String accept(String offered) {
        return offered != null && ACCEPTED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    }
}
