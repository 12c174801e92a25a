package io.qnsp.gateway.web;

import io.qnsp.common.web.RequestIds;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Puts the request id into the headers the gateway sends to the service, as they are built for the proxied call,
 * so the exchange is never copied just to change one request header.
 */
final class RequestIdForwarding implements HttpHeadersFilter, Ordered {

    /**
     * Last, after Spring Cloud Gateway's hop-by-hop filter, which builds the outgoing headers afresh, so they are
     * changed in place rather than copied once more.
     */
    static final int ORDER = Ordered.LOWEST_PRECEDENCE;

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        String id = ExchangeAttributes.requestId(exchange);
        if (id.equals(input.getFirst(RequestIds.HEADER)) && input.getValuesAsList(RequestIds.HEADER).size() == 1) {
            return input;
        }
        HttpHeaders headers = ProxiedHeaders.writable(input, exchange);
        headers.set(RequestIds.HEADER, id);
        return headers;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.REQUEST;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
