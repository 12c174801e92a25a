package io.qnsp.gateway.ratelimit;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.ratelimit.RateLimitBucket;
import io.qnsp.common.ratelimit.RateLimitDecision;
import io.qnsp.common.ratelimit.RateLimiterUnavailable;
import io.qnsp.common.ratelimit.ReactiveRateLimiter;
import io.qnsp.gateway.authentication.AuthenticatedCaller;
import io.qnsp.gateway.authentication.AuthenticationFilter;
import io.qnsp.gateway.web.AnswerHeaders;
import io.qnsp.gateway.web.ExchangeAttributes;
import io.qnsp.gateway.web.GatewayErrors;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * Charges each authenticated request against its caller's buckets (see {@link CallerLimits}) and admits it only if
 * every window admits it; a denied request is answered 429 in the path's family with {@code Retry-After}. Every
 * answer to an authenticated caller carries {@code X-RateLimit-*} for the tightest window: the one with the fewest
 * requests left, or, on a denial, the one that makes the caller wait longest. Requests on public paths have no
 * caller and are not limited here. The status endpoint is not charged: it only looks at the buckets.
 */
public final class RateLimitFilter implements GlobalFilter, Ordered {

    /** Right after authentication: a request that cannot be authenticated costs nothing. */
    public static final int ORDER = AuthenticationFilter.ORDER + 100;

    /** The windows' states a look found, for the status endpoint ({@code Map<LimitWindow, RateLimitDecision>}). */
    static final String WINDOW_STATES = RateLimitFilter.class.getName() + ".windows";

    private final ReactiveRateLimiter limiter;
    private final CallerLimits limits;
    private final GatewayErrors errors;
    private final Clock clock;
    private final boolean enabled;

    RateLimitFilter(ReactiveRateLimiter limiter, CallerLimits limits, GatewayErrors errors, Clock clock,
                    boolean enabled) {
        this.limiter = limiter;
        this.limits = limits;
        this.errors = errors;
        this.clock = clock;
        this.enabled = enabled;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        AuthenticatedCaller caller = AuthenticatedCaller.of(exchange);
        if (!enabled || caller == null) {
            return chain.filter(exchange);
        }
        Map<LimitWindow, RateLimitBucket> buckets = limits.buckets(caller);
        if (buckets.isEmpty()) {
            return chain.filter(exchange);
        }
        Route route = exchange.getAttribute(GATEWAY_ROUTE_ATTR);
        Mono<RateLimitDecision> decision = route != null && RateLimitStatusRoute.ID.equals(route.getId())
                ? look(exchange, buckets)
                : limiter.tryConsumeAll(CallerLimits.list(buckets), 1);
        // one operator for the decision, one for a limiter that cannot decide; a refusal to decide is told apart
        // from a failure further down the chain by the headers, which exist once a decision was made
        return decision
                .flatMap(decided -> decided(exchange, chain, decided))
                .onErrorResume(failure -> failure instanceof RateLimiterUnavailable
                                && exchange.getAttribute(ExchangeAttributes.ANSWER_HEADERS) == null,
                        unavailable -> unavailable(exchange, (RateLimiterUnavailable) unavailable));
    }

    /** 503 with {@code Retry-After}: the limiter cannot reach Redis and its failure mode is to refuse. */
    static Mono<Void> unavailable(GatewayErrors errors, ServerWebExchange exchange, RateLimiterUnavailable unavailable) {
        return errors.write(exchange, ApiError.of(unavailable), unavailable.headers());
    }

    private Mono<Void> unavailable(ServerWebExchange exchange, RateLimiterUnavailable unavailable) {
        return unavailable(errors, exchange, unavailable);
    }

    private Mono<Void> decided(ServerWebExchange exchange, GatewayFilterChain chain, RateLimitDecision decided) {
        AnswerHeaders.put(exchange, RateLimitHeaders.of(decided, clock));
        if (decided.allowed()) {
            return chain.filter(exchange);
        }
        exchange.getAttributes().put(ExchangeAttributes.RATE_LIMITED, Boolean.TRUE);
        return errors.write(exchange, exceeded(decided, retryAfter(decided)), retryAfterHeader(decided));
    }

    /** Each window's state without charging it; the tightest decides the headers. */
    private Mono<RateLimitDecision> look(ServerWebExchange exchange, Map<LimitWindow, RateLimitBucket> buckets) {
        return Flux.fromIterable(buckets.entrySet())
                .flatMapSequential(entry -> limiter.peek(entry.getValue().id(), entry.getValue().limits())
                        .map(state -> Map.entry(entry.getKey(), state)))
                .collectList()
                .map(states -> {
                    Map<LimitWindow, RateLimitDecision> byWindow = new LinkedHashMap<>();
                    RateLimitDecision tightest = null;
                    for (Map.Entry<LimitWindow, RateLimitDecision> state : states) {
                        byWindow.put(state.getKey(), state.getValue());
                        if (tightest == null || state.getValue().remainingTokens() < tightest.remainingTokens()) {
                            tightest = state.getValue();
                        }
                    }
                    exchange.getAttributes().put(WINDOW_STATES, byWindow);
                    // a look is never refused: the status of an exhausted key is what its owner wants to see
                    return new RateLimitDecision(true, tightest.remainingTokens(), tightest.limit(), tightest.resetIn(),
                            tightest.retryAfter(), tightest.source());
                });
    }

    private static long retryAfter(RateLimitDecision decision) {
        return RateLimitHeaders.retryAfterSeconds(decision.retryAfter());
    }

    private static HttpHeaders retryAfterHeader(RateLimitDecision decision) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter(decision)));
        return headers;
    }

    private static ApiError exceeded(RateLimitDecision decision, long retryAfterSeconds) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("limit", decision.limit());
        details.put("retryAfter", retryAfterSeconds);
        return new ApiError(HttpStatus.TOO_MANY_REQUESTS, ErrorCodes.RATE_LIMITED,
                "Rate limit exceeded; retry in " + retryAfterSeconds + " s", details);
    }
}
