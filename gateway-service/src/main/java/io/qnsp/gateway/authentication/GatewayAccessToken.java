package io.qnsp.gateway.authentication;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway's own access token (client credentials, scope {@code internal:keys:verify}), fetched once and shared
 * until shortly before it expires; concurrent callers wait for the same fetch. A request that gets no answer is
 * tried twice more (250 ms, then 500 ms later); a failed fetch is not remembered.
 */
final class GatewayAccessToken {

    static final String SCOPE = "internal:keys:verify";
    /** Renew this long before the token expires, or at half its lifetime for short-lived tokens. */
    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(30);
    /** Attempts after a failed token request that got no answer, before callers are told 503. */
    private static final int FETCH_RETRIES = 2;

    private static final Logger log = LoggerFactory.getLogger(GatewayAccessToken.class);

    private final WebClient web;
    private final AuthenticationProperties.Auth auth;
    private final JsonMapper json = JsonMapper.shared();
    private final AtomicReference<Mono<String>> current = new AtomicReference<>();
    /** Set while no token can be had, so the problem is logged once, not once per request. */
    private final AtomicBoolean failing = new AtomicBoolean();

    GatewayAccessToken(WebClient web, AuthenticationProperties.Auth auth) {
        this.web = web;
        this.auth = auth;
        current.set(cached());
    }

    /** The token; errors with {@link AuthenticationFailed#unavailable()} when none can be had. */
    Mono<String> get() {
        return current.get();
    }

    /** Drops the token auth-service refused, so the next caller fetches a new one. */
    void refused(Mono<String> token) {
        current.compareAndSet(token, cached());
    }

    private Mono<String> cached() {
        return Mono.defer(this::fetch).cache(this::renewAfter, failure -> Duration.ZERO, () -> Duration.ZERO)
                .map(Token::value);
    }

    private Duration renewAfter(Token token) {
        Duration half = token.lifetime().dividedBy(2);
        Duration early = token.lifetime().minus(RENEW_BEFORE_EXPIRY);
        return early.compareTo(half) > 0 ? early : half;
    }

    private record Token(String value, Duration lifetime) {
        @Override
        public String toString() {
            return "Token[***]";
        }
    }

    private Mono<Token> fetch() {
        if (!auth.hasClientSecret()) {
            failed("qnsp.gateway.auth.client-secret is not set: API keys cannot be verified (JWTs still work)");
            return Mono.error(AuthenticationFailed.unavailable());
        }
        String basic = Base64.getEncoder().encodeToString((auth.clientId() + ":" + auth.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
        return web.post().uri(auth.tokenUri())
                .header(HttpHeaders.AUTHORIZATION, "Basic " + basic)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.APPLICATION_JSON)
                .body(BodyInserters.fromFormData("grant_type", "client_credentials").with("scope", SCOPE))
                .exchangeToMono(response -> response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
                        .map(body -> {
                            if (!response.statusCode().is2xxSuccessful()) {
                                // 400/401 mean the gateway's client is misconfigured; a 5xx that auth-service is ill
                                failed("auth-service refused the gateway's client-credentials token request: "
                                        + response.statusCode().value());
                                throw AuthenticationFailed.unavailable();
                            }
                            Token token = token(body);
                            if (failing.compareAndSet(true, false)) {
                                log.info("The gateway has a token from auth-service again");
                            }
                            return token;
                        }))
                .timeout(auth.timeout())
                // a slow first token (auth-service still warming up) or a dropped connection is tried again
                .retryWhen(Retry.backoff(FETCH_RETRIES, Duration.ofMillis(250))
                        .filter(failure -> !(failure instanceof AuthenticationFailed))
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .onErrorMap(failure -> !(failure instanceof AuthenticationFailed), failure -> {
                    failed("could not get the gateway's token from auth-service ("
                            + failure.getClass().getSimpleName() + ")");
                    return AuthenticationFailed.unavailable();
                });
    }

    private void failed(String problem) {
        if (failing.compareAndSet(false, true)) {
            log.warn("{}; API keys that are not cached answer 503 until a token can be had", problem);
        }
    }

    private Token token(byte[] body) {
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (RuntimeException malformed) {
            failed("auth-service answered the token request with something that is not JSON");
            throw AuthenticationFailed.unavailable();
        }
        String value = answer.path("access_token").asString("");
        long expiresIn = answer.path("expires_in").asLong(60);
        if (value.isBlank()) {
            failed("auth-service answered the token request without an access_token");
            throw AuthenticationFailed.unavailable();
        }
        return new Token(value, Duration.ofSeconds(Math.max(1, expiresIn)));
    }
}
