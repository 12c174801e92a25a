package io.qnsp.gateway.requestlog;

import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.gateway.web.Answered;
import io.qnsp.gateway.web.ExchangeAttributes;
import io.qnsp.gateway.web.PublicPaths;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Records a {@link RequestLogEvent} for every API request once its response is complete, whatever answered it: a
 * backend, the authentication or rate-limit filters, or the error handler. The gateway's own endpoints (see
 * {@link PublicPaths}) and CORS preflights are not API traffic and are left out.
 */
class RequestLogFilter implements WebFilter, Ordered {

    // right after the request id, so everything after it, refusals included, is measured and logged
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

    private static final int MAX_USER_AGENT = 512;

    private final RequestLogBuffer buffer;

    RequestLogFilter(RequestLogBuffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (PublicPaths.matches(request.getPath().pathWithinApplication().value())
                || CorsUtils.isPreFlightRequest(request)) {
            return chain.filter(exchange);
        }
        Instant arrived = Instant.now();
        long started = System.nanoTime();
        return Answered.then(exchange, chain.filter(exchange),
                () -> buffer.record(event(exchange, arrived, started)));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    private static RequestLogEvent event(ServerWebExchange exchange, Instant arrived, long started) {
        ServerHttpRequest request = exchange.getRequest();
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        return new RequestLogEvent(
                UUID.randomUUID(),
                arrived,
                request.getMethod().name(),
                request.getPath().value(),
                status == null ? 200 : status.value(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                exchange.getAttribute(ExchangeAttributes.KEY_ID) instanceof String keyId ? keyId : null,
                exchange.getAttribute(ExchangeAttributes.TENANT_ID) instanceof String tenantId ? tenantId : null,
                ipAddress(request.getRemoteAddress()),
                userAgent(request.getHeaders()),
                Boolean.TRUE.equals(exchange.getAttribute(ExchangeAttributes.RATE_LIMITED)),
                ExchangeAttributes.requestId(exchange));
    }

    private static String ipAddress(InetSocketAddress remote) {
        if (remote == null) {
            return null;
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

    private static String userAgent(HttpHeaders headers) {
        String agent = headers.getFirst(HttpHeaders.USER_AGENT);
        return agent == null || agent.length() <= MAX_USER_AGENT ? agent : agent.substring(0, MAX_USER_AGENT);
    }
}
