package io.qnsp.gateway.authentication;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns presented credentials into a caller: a JWT validated against auth-service's keys (signature, expiry, issuer,
 * audience), or an API key verified through auth-service. Errors with {@link AuthenticationFailed}.
 */
final class Authenticator {

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

    /** A caller and the bearer token to forward for it. */
    record Authentication(AuthenticatedCaller caller, String forwardedToken) {
        @Override
        public String toString() {
            return "Authentication[" + caller + "]";
        }
    }

    /** What authenticating a request came to: a caller, or the failure to answer with. Exactly one is set. */
    record Outcome(Authentication authentication, AuthenticationFailed failure) {

        static Outcome authenticated(Authentication authentication) {
            return new Outcome(authentication, null);
        }

        static Outcome failed(AuthenticationFailed failure) {
            return new Outcome(null, failure);
        }
    }

    private final ReactiveJwtDecoder jwtDecoder;
    private final ApiKeyVerifier keys;
    /** Set while the signing keys are out of reach, so that is logged once, not once per request. */
    private final AtomicBoolean keysOutOfReach = new AtomicBoolean();

    Authenticator(ReactiveJwtDecoder jwtDecoder, ApiKeyVerifier keys) {
        this.jwtDecoder = jwtDecoder;
        this.keys = keys;
    }

    /**
     * The outcome when it is known without waiting (no credentials, unusable ones, an API key whose verification or
     * refusal is in memory), else {@code null}: then {@link #authenticate} finds it.
     */
    Outcome settled(Credentials credentials) {
        return switch (credentials) {
            case Credentials.None none -> Outcome.failed(AuthenticationFailed.missing());
            case Credentials.Unusable unusable -> {
                log.debug("Unusable credentials: {}", unusable.reason());
                yield Outcome.failed(AuthenticationFailed.invalid());
            }
            case Credentials.ApiKey key -> keys.settled(key.value());
            case Credentials.BearerToken token -> null;
        };
    }

    /** The outcome, a failure included; never errors with {@link AuthenticationFailed}. */
    Mono<Outcome> authenticate(Credentials credentials) {
        return switch (credentials) {
            case Credentials.ApiKey key -> keys.outcome(key.value());
            case Credentials.BearerToken token -> jwtDecoder.decode(token.value())
                    .map(jwt -> {
                        if (keysOutOfReach.compareAndSet(true, false)) {
                            log.info("Bearer tokens are validated again");
                        }
                        return Outcome.authenticated(new Authentication(caller(jwt), token.value()));
                    })
                    .onErrorResume(failure -> Mono.just(Outcome.failed(failure instanceof AuthenticationFailed failed
                            ? failed : jwtFailure(failure))));
            default -> Mono.just(settled(credentials));
        };
    }

    private AuthenticationFailed jwtFailure(Throwable failure) {
        if (failure instanceof BadJwtException) {
            return AuthenticationFailed.invalid();
        }
        // the keys could not be fetched: nothing is known about the token yet
        if (keysOutOfReach.compareAndSet(false, true)) {
            log.warn("Cannot validate bearer tokens: auth-service's signing keys are out of reach ({}); 503 until"
                    + " they can be read", failure.getClass().getSimpleName());
        }
        return AuthenticationFailed.unavailable();
    }

    private static AuthenticatedCaller caller(Jwt jwt) {
        return new AuthenticatedCaller(AuthenticatedCaller.Method.JWT, jwt.getSubject(),
                jwt.getClaimAsString("tenant_id"), jwt.getClaimAsString("key_id"), null);
    }
}
