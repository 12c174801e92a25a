package io.qnsp.gateway.ratelimit;

import io.qnsp.common.envelope.DataHubEnvelope;
import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.ratelimit.RateLimitDecision;
import io.qnsp.gateway.web.ExchangeAttributes;
import io.qnsp.gateway.web.GatewayErrors;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/v1/rate-limits/status} (spec 003): the calling key's windows, each with its limit, the requests
 * left and the Unix time it is full again, in the DataHub envelope. A gateway route answered here, so it passes
 * authentication and the rate-limit filter like any other route; that filter only looks at the buckets for it.
 */
final class RateLimitStatusRoute implements GatewayFilter {

    static final String ID = "rate-limit-status";
    static final String PATH = "/api/v1/rate-limits/status";
    /** Answers after authentication and the rate-limit filter's look, before any routing filter. */
    static final int ORDER = RateLimitFilter.ORDER + 1;

    private final GatewayErrors errors;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.shared();

    RateLimitStatusRoute(GatewayErrors errors, Clock clock) {
        this.errors = errors;
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            HttpHeaders allow = new HttpHeaders();
            allow.setAllow(Set.of(HttpMethod.GET, HttpMethod.HEAD));
            return errors.write(exchange, ApiError.of(HttpStatus.METHOD_NOT_ALLOWED, ErrorCodes.METHOD_NOT_ALLOWED,
                    "Only GET is supported here"), allow);
        }
        Map<LimitWindow, RateLimitDecision> states = exchange.getAttribute(RateLimitFilter.WINDOW_STATES);
        Map<String, Object> body = DataHubEnvelope.success(new RateLimitStatus(windows(states)),
                ExchangeAttributes.requestId(exchange), Instant.now(clock).truncatedTo(ChronoUnit.MILLIS));
        byte[] bytes = json.writeValueAsBytes(body);
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(bytes.length);
        response.getHeaders().setCacheControl("no-store");
        if (method == HttpMethod.HEAD) {
            return response.setComplete();
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }

    private RateLimitStatus.RateLimitWindows windows(Map<LimitWindow, RateLimitDecision> states) {
        Map<LimitWindow, RateLimitStatus.RateLimitWindow> windows = new EnumMap<>(LimitWindow.class);
        if (states != null) {
            states.forEach((window, state) -> windows.put(window, new RateLimitStatus.RateLimitWindow(
                    state.limit(), state.remainingTokens(), RateLimitHeaders.resetAt(state.resetIn(), clock))));
        }
        return new RateLimitStatus.RateLimitWindows(windows.get(LimitWindow.MINUTE), windows.get(LimitWindow.HOUR),
                windows.get(LimitWindow.DAY));
    }
}
