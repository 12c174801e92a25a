package io.qnsp.gateway.web;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsProcessor;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Cross-origin access for the admin dashboard ({@code qnsp.gateway.cors.*}), applied by the edge filter: preflights
 * are answered here, before any credentials are asked for; a disallowed origin gets 403 in the family format.
 */
final class CorsPolicy {

    private static final ApiError REFUSED = ApiError.of(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN,
            "Cross-origin requests from this origin, or with this method or these headers, are not allowed");

    private final CorsConfiguration configuration;
    private final GatewayErrors errors;
    private final CorsProcessor processor = new DefaultCorsProcessor() {
        @Override
        protected void rejectRequest(ServerHttpResponse response) {
            // the edge answers in the family format instead of an empty 403
        }
    };

    CorsPolicy(CorsConfiguration configuration, GatewayErrors errors) {
        this.configuration = configuration;
        this.errors = errors;
    }

    /**
     * The answer to a request the policy settles itself (a preflight, a refused origin), or {@code null} when the
     * request goes on; the CORS response headers of an allowed cross-origin request are set on the way.
     */
    Mono<Void> answer(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        if (!CorsUtils.isCorsRequest(request)) {
            return null;
        }
        if (!processor.process(configuration, exchange)) {
            return errors.write(exchange, REFUSED);
        }
        if (CorsUtils.isPreFlightRequest(request)) {
            exchange.getResponse().setStatusCode(HttpStatus.OK);
            return exchange.getResponse().setComplete();
        }
        return null;
    }
}
