package io.qnsp.gateway.authentication;

import io.qnsp.gateway.web.ExchangeAttributes;
import io.qnsp.gateway.web.GatewayErrors;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * Authenticates every routed request before anything else decides about it. Public paths and CORS preflights pass
 * without credentials; everything else needs a valid JWT or API key, else 401 (503 when auth-service cannot be asked)
 * in the path's error family. What goes downstream ({@link ForwardedCredentials}): the caller's JWT as it came, or for
 * an API key the short-lived JWT auth-service issued for it; the API key itself never leaves the gateway. A key whose
 * verification is in memory is decided on the spot, without a Reactor operator; only a JWT or a key auth-service
 * must be asked about waits, behind one.
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
            // an API key sent along still stops at the gateway: ForwardedCredentials drops it
            return chain.filter(exchange);
        }
        Credentials credentials = Credentials.from(request.getHeaders());
        Authenticator.Outcome settled = authenticator.settled(credentials);
        if (settled != null) {
            return proceed(exchange, chain, settled);
        }
        return authenticator.authenticate(credentials).flatMap(outcome -> proceed(exchange, chain, outcome));
    }

    private Mono<Void> proceed(ServerWebExchange exchange, GatewayFilterChain chain, Authenticator.Outcome outcome) {
        if (outcome.failure() != null) {
            return errors.write(exchange, outcome.failure().error(), outcome.failure().headers());
        }
        AuthenticatedCaller caller = outcome.authentication().caller();
        Map<String, Object> attributes = exchange.getAttributes();
        attributes.put(AuthenticatedCaller.ATTRIBUTE, caller);
        if (caller.tenantId() != null) {
            attributes.put(ExchangeAttributes.TENANT_ID, caller.tenantId());
        }
        if (caller.keyId() != null) {
            attributes.put(ExchangeAttributes.KEY_ID, caller.keyId());
        }
        attributes.put(ForwardedCredentials.TOKEN, outcome.authentication().forwardedToken());
        return chain.filter(exchange);
    }
}
