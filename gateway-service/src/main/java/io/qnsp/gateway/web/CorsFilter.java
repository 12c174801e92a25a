package io.qnsp.gateway.web;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsProcessor;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Cross-origin access for the admin dashboard ({@code qnsp.gateway.cors.*}): preflights are answered here, before
 * any credentials are asked for; a disallowed origin gets 403 in the family format.
 */
class CorsFilter implements WebFilter, Ordered {

    // after the request id, so preflights and refusals carry it; before the body limit and authentication
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

    private final CorsConfiguration configuration;
    private final GatewayErrors errors;
    private final CorsProcessor processor = new DefaultCorsProcessor() {
        @Override
        protected void rejectRequest(ServerHttpResponse response) {
            // the filter answers in the family format instead of an empty 403
        }
    };

    CorsFilter(CorsConfiguration configuration, GatewayErrors errors) {
        this.configuration = configuration;
        this.errors = errors;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!CorsUtils.isCorsRequest(request)) {
            return chain.filter(exchange);
        }
        if (!processor.process(configuration, exchange)) {
            return errors.write(exchange, ApiError.of(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN,
                    "Cross-origin requests from this origin, or with this method or these headers, are not allowed"));
        }
        if (CorsUtils.isPreFlightRequest(request)) {
            exchange.getResponse().setStatusCode(HttpStatus.OK);
            return exchange.getResponse().setComplete();
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
