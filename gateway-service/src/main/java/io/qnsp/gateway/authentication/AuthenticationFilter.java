package io.qnsp.gateway.authentication;

import io.qnsp.gateway.web.ExchangeAttributes;
import io.qnsp.gateway.web.GatewayErrors;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Authenticates every routed request before anything else decides about it. Public paths and CORS preflights pass
 * without credentials; everything else needs a valid JWT or API key, else 401 (503 when auth-service cannot be asked)
 * in the path's error family. What goes downstream: the caller's JWT as it came, or for an API key the short-lived
 * JWT auth-service issued for it; the API key itself never leaves the gateway.
 */
public final class AuthenticationFilter implements GlobalFilter, Ordered {

    /** Early: only filters that must see every outcome (request ids, the request log) come before. */
    public static final int ORDER = -1000;

    private final PublicPaths publicPaths;
    private final Authenticator authenticator;
    private final GatewayErrors errors;

    AuthenticationFilter(PublicPaths publicPaths, Authenticator authenticator, GatewayErrors errors) {
        this.publicPaths = publicPaths;
        this.authenticator = authenticator;
        this.errors = errors;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (publicPaths.matches(request) || CorsUtils.isPreFlightRequest(request)) {
            return chain.filter(withoutApiKeys(exchange));
        }
        return authenticator.authenticate(Credentials.from(request.getHeaders()))
                .map(Outcome::authenticated)
                .onErrorResume(AuthenticationFailed.class, failure -> Mono.just(Outcome.failed(failure)))
                .flatMap(outcome -> {
                    if (outcome.failure() != null) {
                        return errors.write(exchange, outcome.failure().error(), outcome.failure().headers());
                    }
                    AuthenticatedCaller caller = outcome.authentication().caller();
                    exchange.getAttributes().put(AuthenticatedCaller.ATTRIBUTE, caller);
                    if (caller.tenantId() != null) {
                        exchange.getAttributes().put(ExchangeAttributes.TENANT_ID, caller.tenantId());
                    }
                    if (caller.keyId() != null) {
                        exchange.getAttributes().put(ExchangeAttributes.KEY_ID, caller.keyId());
                    }
                    String token = outcome.authentication().forwardedToken();
                    return chain.filter(exchange.mutate().request(forwarded -> forwarded.headers(headers -> {
                        headers.remove(Credentials.API_KEY_HEADER);
                        headers.setBearerAuth(token);
                    })).build());
                });
    }

    private record Outcome(Authenticator.Authentication authentication, AuthenticationFailed failure) {

        static Outcome authenticated(Authenticator.Authentication authentication) {
            return new Outcome(authentication, null);
        }

        static Outcome failed(AuthenticationFailed failure) {
            return new Outcome(null, failure);
        }
    }

    /** A public path is not authenticated here, but an API key sent along still stops at the gateway. */
    private static ServerWebExchange withoutApiKeys(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        boolean keyInAuthorization = headers.getValuesAsList(HttpHeaders.AUTHORIZATION).stream()
                .anyMatch(Credentials::carriesApiKey);
        if (!headers.containsHeader(Credentials.API_KEY_HEADER) && !keyInAuthorization) {
            return exchange;
        }
        return exchange.mutate().request(request -> request.headers(mutable -> {
            mutable.remove(Credentials.API_KEY_HEADER);
            if (keyInAuthorization) {
                mutable.remove(HttpHeaders.AUTHORIZATION);
            }
        })).build();
    }
}
