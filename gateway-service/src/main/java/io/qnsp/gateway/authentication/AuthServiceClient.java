package io.qnsp.gateway.authentication;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asks auth-service whether a presented API key verifies ({@code POST /internal/v1/keys/verify} with the gateway's
 * own token). A refused key is an empty answer; a refusal of the gateway's token is retried once with a new token;
 * everything else that is not an answer (connection refused, timeout, 5xx, a broken body) is
 * {@link AuthenticationFailed#unavailable()}.
 */
final class AuthServiceClient implements ApiKeyVerifier.KeyVerification {

    /** The code auth-service gives a key it refuses, as opposed to a refusal of the gateway's own token. */
    static final String INVALID_API_KEY = "INVALID_API_KEY";

    private static final Logger log = LoggerFactory.getLogger(AuthServiceClient.class);

    private final WebClient web;
    private final GatewayAccessToken token;
    private final AuthenticationProperties.Auth auth;
    private final JsonMapper json = JsonMapper.shared();
    /** Set while verifications fail, so an outage is logged once, not once per request. */
    private final AtomicBoolean failing = new AtomicBoolean();

    AuthServiceClient(WebClient web, GatewayAccessToken token, AuthenticationProperties.Auth auth) {
        this.web = web;
        this.token = token;
        this.auth = auth;
    }

    @Override
    public Mono<Optional<ApiKeyVerification>> verify(String apiKey) {
        return attempt(apiKey, true);
    }

    private Mono<Optional<ApiKeyVerification>> attempt(String apiKey, boolean retryWithNewToken) {
        Mono<String> bearer = token.get();
        return bearer.flatMap(value -> web.post().uri(auth.verifyUri())
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + value)
                        .contentType(MediaType.APPLICATION_JSON)
                        .accept(MediaType.APPLICATION_JSON)
                        .bodyValue(json.writeValueAsBytes(Map.of("apiKey", apiKey)))
                        .exchangeToMono(response -> response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
                                .map(body -> new Answer(response.statusCode(), body)))
                        .timeout(auth.timeout()))
                .onErrorMap(failure -> !(failure instanceof AuthenticationFailed), failure -> {
                    failed("auth-service did not answer a key verification ({})", failure.getClass().getSimpleName());
                    return AuthenticationFailed.unavailable();
                })
                .flatMap(answer -> {
                    if (answer.status().is2xxSuccessful()) {
                        return Mono.just(answered(Optional.of(verification(answer.body()))));
                    }
                    int status = answer.status().value();
                    if (status == 401 && INVALID_API_KEY.equals(errorCode(answer.body()))) {
                        return Mono.just(answered(Optional.empty()));
                    }
                    if (status == 400) {
                        // a value auth-service cannot even read as a key
                        return Mono.just(answered(Optional.empty()));
                    }
                    if (status == 401 && retryWithNewToken) {
                        token.refused(bearer);
                        return attempt(apiKey, false);
                    }
                    failed("auth-service answered a key verification with " + status + " " + errorCode(answer.body())
                            + " (a 401 or 403 means the gateway's client lacks {})", GatewayAccessToken.SCOPE);
                    return Mono.error(AuthenticationFailed.unavailable());
                });
    }

    private <T> T answered(T answer) {
        if (failing.compareAndSet(true, false)) {
            log.info("auth-service answers key verifications again");
        }
        return answer;
    }

    private void failed(String message, Object argument) {
        if (failing.compareAndSet(false, true)) {
            log.warn(message + "; API keys that are not cached answer 503 until it does", argument);
        }
    }

    private record Answer(HttpStatusCode status, byte[] body) {
    }

    private ApiKeyVerification verification(byte[] body) {
        ApiKeyVerification verification;
        try {
            verification = json.readValue(body, ApiKeyVerification.class);
        } catch (RuntimeException malformed) {
            log.warn("auth-service answered a key verification with a body the gateway cannot read");
            throw AuthenticationFailed.unavailable();
        }
        if (verification == null || !verification.complete()) {
            log.warn("auth-service answered a key verification without a key id or downstream token");
            throw AuthenticationFailed.unavailable();
        }
        return verification;
    }

    private String errorCode(byte[] body) {
        try {
            JsonNode error = json.readTree(body);
            return error.path("error").asString("");
        } catch (RuntimeException notJson) {
            return "";
        }
    }
}
