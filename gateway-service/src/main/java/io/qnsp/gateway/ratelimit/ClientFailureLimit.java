package io.qnsp.gateway.ratelimit;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.ratelimit.RateLimiterUnavailable;
import io.qnsp.gateway.authentication.AuthenticationFilter;
import io.qnsp.gateway.web.ExchangeAttributes;
import io.qnsp.gateway.web.GatewayErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CACHED_REQUEST_BODY_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.cacheRequestBody;

/**
 * Pauses a client id whose secret the token endpoint keeps refusing, so that guessing it is slow whatever the
 * addresses the guesses come from. A token request ({@code POST} to the token endpoint) names its client in HTTP
 * Basic credentials or, failing that, in the form field {@code client_id} (the body is then read once and kept for
 * the proxied call). While the client is paused ({@link ClientFailures}) the request is answered 429 with
 * {@code Retry-After} in the path's family, without reaching auth-service. Otherwise it is proxied, and its answer
 * counts before it is sent: a 401 (auth-service's {@code invalid_client}) is a refusal, a 2xx clears the count. A
 * request that names no client is left to auth-service and the per-address limit.
 */
final class ClientFailureLimit implements GlobalFilter, Ordered {

    /** After authentication, which lets the public token endpoint through, and before routing. */
    static final int ORDER = AuthenticationFilter.ORDER + 50;

    private static final Logger log = LoggerFactory.getLogger(ClientFailureLimit.class);

    private final ClientFailures failures;
    private final String path;
    private final GatewayErrors errors;
    private final boolean enabled;

    ClientFailureLimit(ClientFailures failures, String path, GatewayErrors errors, boolean enabled) {
        this.failures = failures;
        this.path = path;
        this.errors = errors;
        this.enabled = enabled;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!enabled || request.getMethod() != HttpMethod.POST || !path.equals(request.getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        String basic = basicClientId(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (basic != null) {
            return guarded(exchange, chain, basic);
        }
        MediaType type = request.getHeaders().getContentType();
        if (type == null || !MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(type)) {
            return chain.filter(exchange);
        }
        // read the form once; the proxied call sends the kept bytes
        return cacheRequestBody(exchange, cached -> {
            DataBuffer body = exchange.getAttribute(CACHED_REQUEST_BODY_ATTR);
            String clientId = body == null ? null
                    : formClientId(body.toString(body.readPosition(), body.readableByteCount(), StandardCharsets.UTF_8));
            return guarded(exchange.mutate().request(cached).build(), chain, clientId);
        });
    }

    private Mono<Void> guarded(ServerWebExchange exchange, GatewayFilterChain chain, String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            return chain.filter(exchange);
        }
        return failures.pause(clientId)
                .cast(Object.class)
                .onErrorResume(RateLimiterUnavailable.class, Mono::just)
                .flatMap(outcome -> {
                    if (outcome instanceof RateLimiterUnavailable unavailable) {
                        return RateLimitFilter.unavailable(errors, exchange, unavailable);
                    }
                    Duration pause = (Duration) outcome;
                    if (pause.isPositive()) {
                        return refuse(exchange, pause);
                    }
                    exchange.getResponse().beforeCommit(() -> answered(exchange, clientId));
                    return chain.filter(exchange);
                });
    }

    /** Counts the answer before it leaves, so that the client's next request already meets the count. */
    private Mono<Void> answered(ServerWebExchange exchange, String clientId) {
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        Mono<?> counted;
        if (status != null && status.value() == HttpStatus.UNAUTHORIZED.value()) {
            counted = failures.failed(clientId);
        } else if (status != null && status.is2xxSuccessful()) {
            counted = failures.succeeded(clientId);
        } else {
            return Mono.empty();
        }
        return counted.onErrorResume(failure -> {
            // never at the cost of the answer
            log.warn("Could not count the token endpoint's answer {} for a client: {}", status.value(),
                    failure.toString());
            return Mono.empty();
        }).then();
    }

    private Mono<Void> refuse(ServerWebExchange exchange, Duration pause) {
        exchange.getAttributes().put(ExchangeAttributes.RATE_LIMITED, Boolean.TRUE);
        long retryAfter = RateLimitHeaders.retryAfterSeconds(pause);
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        return errors.write(exchange, new ApiError(HttpStatus.TOO_MANY_REQUESTS, ErrorCodes.RATE_LIMITED,
                "Too many failed authentications of this client; retry in " + retryAfter + " s",
                Map.of("retryAfter", retryAfter)), headers);
    }

    /**
     * The client id of HTTP Basic credentials ({@code base64(urlencode(id):urlencode(secret))}, RFC 6749 §2.3.1);
     * null when the header is not Basic or does not decode.
     */
    static String basicClientId(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return URLDecoder.decode(colon < 0 ? decoded : decoded.substring(0, colon), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** The first {@code client_id} of a form body; null when there is none or it does not decode. */
    static String formClientId(String form) {
        for (String field : form.split("&")) {
            if (field.startsWith("client_id=")) {
                try {
                    return URLDecoder.decode(field.substring("client_id=".length()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    return null;
                }
            }
        }
        return null;
    }
}
