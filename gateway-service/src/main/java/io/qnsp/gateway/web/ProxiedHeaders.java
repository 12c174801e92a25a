package io.qnsp.gateway.web;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/** For the gateway's {@code HttpHeadersFilter}s, which change the headers of the call to the service. */
public final class ProxiedHeaders {

    private ProxiedHeaders() {
    }

    /**
     * Headers the filter may change: the ones it was given when an earlier filter already made them a copy, else
     * (they are still the request's own, read-only headers) a copy.
     */
    public static HttpHeaders writable(HttpHeaders input, ServerWebExchange exchange) {
        return input == exchange.getRequest().getHeaders() ? HttpHeaders.copyOf(input) : input;
    }
}
