package io.qnsp.gateway.authentication;

import org.springframework.http.HttpHeaders;

import java.util.List;
import java.util.Locale;

/**
 * What a request presents: nothing, an API key ({@code X-API-Key}, or {@code Authorization: Bearer dh_…}), a bearer
 * token taken for a JWT, or something no credential can be read from. {@code X-API-Key} wins over
 * {@code Authorization}. The key and token never appear in {@code toString()}.
 */
sealed interface Credentials {

    String API_KEY_HEADER = "X-API-Key";
    /** DataHub keys are {@code dh_{env}_{random}}. */
    String API_KEY_PREFIX = "dh_";

    record None() implements Credentials {
    }

    record ApiKey(String value) implements Credentials {
        @Override
        public String toString() {
            return "ApiKey[***]";
        }
    }

    record BearerToken(String value) implements Credentials {
        @Override
        public String toString() {
            return "BearerToken[***]";
        }
    }

    /** Credentials were sent but cannot be used: several of them, an empty one, or another scheme. */
    record Unusable(String reason) implements Credentials {
    }

    static Credentials from(HttpHeaders headers) {
        List<String> keys = headers.get(API_KEY_HEADER);
        if (keys != null && !keys.isEmpty()) {
            if (keys.size() > 1) {
                return new Unusable("several X-API-Key headers");
            }
            String key = keys.getFirst().strip();
            return key.isEmpty() ? new Unusable("an empty X-API-Key header") : new ApiKey(key);
        }
        List<String> authorizations = headers.get(HttpHeaders.AUTHORIZATION);
        if (authorizations == null || authorizations.isEmpty()) {
            return new None();
        }
        if (authorizations.size() > 1) {
            return new Unusable("several Authorization headers");
        }
        String authorization = authorizations.getFirst().strip();
        int space = authorization.indexOf(' ');
        if (space < 0 || !authorization.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            return new Unusable("an Authorization scheme other than Bearer");
        }
        String token = authorization.substring(space + 1).strip();
        if (token.isEmpty()) {
            return new Unusable("an empty bearer token");
        }
        return token.startsWith(API_KEY_PREFIX) ? new ApiKey(token) : new BearerToken(token);
    }

    /** Whether an {@code Authorization} value carries an API key, which must not travel further. */
    static boolean carriesApiKey(String authorization) {
        if (authorization == null) {
            return false;
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        return space > 0 && value.substring(0, space).equalsIgnoreCase("bearer")
                && value.substring(space + 1).strip().startsWith(API_KEY_PREFIX);
    }
}
