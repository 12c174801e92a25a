package io.qnsp.gateway.requestlog;

import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.gateway.web.AnsweredRequestListener;
import io.qnsp.gateway.web.ExchangeAttributes;
import io.qnsp.gateway.web.PublicPaths;
import io.qnsp.gateway.web.RandomIds;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Records a {@link RequestLogEvent} for every API request once its answer is settled, whatever answered it: a
 * backend, the authentication or rate-limit filters, or the error handler (the edge filter tells it). The gateway's
 * own endpoints (see {@link PublicPaths}) and CORS preflights are not API traffic and are left out.
 */
class RequestLogRecorder implements AnsweredRequestListener {

    private static final int MAX_USER_AGENT = 512;

    private final RequestLogBuffer buffer;

    RequestLogRecorder(RequestLogBuffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public void answered(ServerWebExchange exchange, long arrivedAtMillis, long durationNanos) {
        ServerHttpRequest request = exchange.getRequest();
        if (PublicPaths.matches(request.getPath().pathWithinApplication()) || CorsUtils.isPreFlightRequest(request)) {
            return;
        }
        buffer.record(event(exchange, arrivedAtMillis, durationNanos));
    }

    private static RequestLogEvent event(ServerWebExchange exchange, long arrivedAtMillis, long durationNanos) {
        ServerHttpRequest request = exchange.getRequest();
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        return new RequestLogEvent(
                RandomIds.uuid(),
                Instant.ofEpochMilli(arrivedAtMillis),
                request.getMethod().name(),
                request.getPath().value(),
                status == null ? 200 : status.value(),
                TimeUnit.NANOSECONDS.toMillis(durationNanos),
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
