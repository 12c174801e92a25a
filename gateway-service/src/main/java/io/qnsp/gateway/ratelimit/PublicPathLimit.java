package io.qnsp.gateway.ratelimit;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.ratelimit.BucketLimits;
import io.qnsp.common.ratelimit.RateLimitDecision;
import io.qnsp.common.ratelimit.RateLimiterUnavailable;
import io.qnsp.common.ratelimit.ReactiveRateLimiter;
import io.qnsp.gateway.authentication.PublicPaths;
import io.qnsp.gateway.web.ExchangeAttributes;
import io.qnsp.gateway.web.GatewayErrors;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Limits requests without credentials per client address: every request on a public path (the token endpoint,
 * discovery documents, health, the gateway's own documents; see {@link PublicPaths}) but the exempt ones (the
 * decision endpoint and static files, by default) is charged against the bucket
 * {@code public:<address>} of the TCP peer it came from, shared by every gateway instance through Redis. A refused
 * request is answered 429 in the path's family with {@code Retry-After}. Forwarding headers
 * ({@code X-Forwarded-For}, {@code Forwarded}) are not read: the gateway has no list of proxies it could trust them
 * from, and a caller could send any address in them. A web filter, right after the edge filter, because the
 * gateway's own endpoints (health, documents) are not routes and meet no global filter.
 */
final class PublicPathLimit implements WebFilter, Ordered {

    /** Right after the edge filter (request id, firewall, CORS, body limit), before anything else. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

    private final ReactiveRateLimiter limiter;
    private final PublicPaths publicPaths;
    /** null when the limit is off */
    private final BucketLimits limits;
    private final GatewayErrors errors;
    private final List<PathPattern> exempt;

    PublicPathLimit(ReactiveRateLimiter limiter, PublicPaths publicPaths, GatewayRateLimitProperties.PublicPaths settings,
                    GatewayErrors errors) {
        this.limiter = limiter;
        this.publicPaths = publicPaths;
        // full at the burst, refilled at the per-minute pace
        this.limits = settings.enabled() ? new BucketLimits(settings.burst(), settings.requestsPerMinute() / 60.0)
                : null;
        this.errors = errors;
        this.exempt = settings.exempt().stream().map(PathPatternParser.defaultInstance::parse).toList();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (limits == null || !publicPaths.matches(request) || isExempt(request)) {
            return chain.filter(exchange);
        }
        // the limiter's refusal to decide is told apart from failures further down the chain
        return limiter.tryConsume("public:" + address(request), limits, 1)
                .cast(Object.class)
                .onErrorResume(RateLimiterUnavailable.class, Mono::just)
                .flatMap(outcome -> outcome instanceof RateLimitDecision decision
                        ? decision.allowed() ? chain.filter(exchange) : refuse(exchange, decision)
                        : unavailable(exchange, chain, (RateLimiterUnavailable) outcome));
    }

    private boolean isExempt(ServerHttpRequest request) {
        PathContainer path = request.getPath().pathWithinApplication();
        for (PathPattern pattern : exempt) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Redis cannot be reached and the limiter refuses to decide: the routed paths (the token endpoint) are refused
     * with 503, but the gateway's own endpoints are answered, so that a liveness probe does not restart every
     * gateway while Redis is away.
     */
    private Mono<Void> unavailable(ServerWebExchange exchange, WebFilterChain chain, RateLimiterUnavailable unavailable) {
        if (io.qnsp.gateway.web.PublicPaths.matches(exchange.getRequest().getPath().pathWithinApplication())) {
            return chain.filter(exchange);
        }
        return RateLimitFilter.unavailable(errors, exchange, unavailable);
    }

    private Mono<Void> refuse(ServerWebExchange exchange, RateLimitDecision decision) {
        exchange.getAttributes().put(ExchangeAttributes.RATE_LIMITED, Boolean.TRUE);
        long retryAfter = RateLimitHeaders.retryAfterSeconds(decision.retryAfter());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        return errors.write(exchange, new ApiError(HttpStatus.TOO_MANY_REQUESTS, ErrorCodes.RATE_LIMITED,
                "Too many requests from this address; retry in " + retryAfter + " s",
                Map.of("limit", decision.limit(), "retryAfter", retryAfter)), headers);
    }

    /** The TCP peer's address; requests whose peer is unknown (none over a real socket) share one bucket. */
    static String address(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress address = remote == null ? null : remote.getAddress();
        return address == null ? "unknown" : address.getHostAddress();
    }
}
