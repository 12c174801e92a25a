package io.qnsp.gateway.authentication;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.List;

/**
 * auth-service's answer for a key that verifies ({@code POST /internal/v1/keys/verify}): whose it is, its limits, and
 * a short-lived JWT for its principal that the gateway forwards instead of the key.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ApiKeyVerification(String keyId, String tenantId, String principal, List<String> scopes, RateLimit rateLimit,
                          String status, Instant expiresAt, String accessToken, Instant accessTokenExpiresAt) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RateLimit(Long requestsPerMinute, Long requestsPerHour, Long requestsPerDay) {
    }

    /** Whether the answer has what the gateway needs to forward the request. */
    boolean complete() {
        return keyId != null && !keyId.isBlank() && accessToken != null && !accessToken.isBlank()
                && accessTokenExpiresAt != null;
    }

    AuthenticatedCaller caller() {
        AuthenticatedCaller.KeyRateLimit limits = rateLimit == null ? null : new AuthenticatedCaller.KeyRateLimit(
                rateLimit.requestsPerMinute(), rateLimit.requestsPerHour(), rateLimit.requestsPerDay());
        return new AuthenticatedCaller(AuthenticatedCaller.Method.API_KEY, principal == null ? keyId : principal,
                tenantId, keyId, limits);
    }

    @Override
    public String toString() {
        return "ApiKeyVerification[keyId=" + keyId + ", tenantId=" + tenantId + ", status=" + status + "]";
    }
}
