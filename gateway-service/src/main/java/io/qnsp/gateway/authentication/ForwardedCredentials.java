package io.qnsp.gateway.authentication;

import io.qnsp.gateway.web.ProxiedHeaders;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

import java.util.List;

/**
 * The credentials of the call to the service, set as its headers are built rather than by copying the exchange:
 * for an authenticated request the bearer token the authentication filter chose (the caller's JWT, or the JWT
 * auth-service issued for its API key), for any request no API key, neither in {@code X-API-Key} nor in
 * {@code Authorization}.
 */
final class ForwardedCredentials implements HttpHeadersFilter, Ordered {

    /** The exchange attribute holding the bearer token to forward ({@code String}). */
    static final String TOKEN = ForwardedCredentials.class.getName() + ".token";

    /**
     * Last, after Spring Cloud Gateway's hop-by-hop filter, which builds the outgoing headers afresh, so they are
     * changed in place rather than copied once more.
     */
    static final int ORDER = Ordered.LOWEST_PRECEDENCE;

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        String token = exchange.getAttribute(TOKEN);
        if (token != null) {
            HttpHeaders headers = ProxiedHeaders.writable(input, exchange);
            headers.remove(Credentials.API_KEY_HEADER);
            headers.setBearerAuth(token);
            return headers;
        }
        boolean keyInAuthorization = carriesApiKey(input.getValuesAsList(HttpHeaders.AUTHORIZATION));
        if (!input.containsHeader(Credentials.API_KEY_HEADER) && !keyInAuthorization) {
            return input;
        }
        HttpHeaders headers = ProxiedHeaders.writable(input, exchange);
        headers.remove(Credentials.API_KEY_HEADER);
        if (keyInAuthorization) {
            headers.remove(HttpHeaders.AUTHORIZATION);
        }
        return headers;
    }

    private static boolean carriesApiKey(List<String> authorizations) {
        for (String authorization : authorizations) {
            if (Credentials.carriesApiKey(authorization)) {
                return true;
            }
        }
        return false;
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
