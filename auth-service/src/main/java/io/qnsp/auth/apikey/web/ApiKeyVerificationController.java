package io.qnsp.auth.apikey.web;

import io.qnsp.auth.apikey.ApiKeyManagement;
import io.qnsp.auth.apikey.ApiKeyScopes;
import io.qnsp.auth.apikey.InvalidApiKey;
import io.qnsp.auth.apikey.RateLimit;
import io.qnsp.auth.apikey.VerifiedApiKey;
import io.qnsp.auth.tenant.TenantManagement;
import io.qnsp.auth.token.AccessTokens;
import io.qnsp.common.controls.RequiredControls;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Key verification for the gateway (not routed to the outside). Answers in the service's own (QNSP) family, so a
 * refused key ({@code INVALID_API_KEY}) is never confused with a refusal of the gateway's own token
 * ({@code UNAUTHORIZED}).
 */
@Tag(name = "API key verification (internal)")
@RestController
class ApiKeyVerificationController {

    /** The key as the client presented it. */
    record VerifyRequest(@NotNull String apiKey) {

        @Override
        public String toString() {
            return "VerifyRequest[apiKey=***]";
        }
    }

    /**
     * The verified key and a short-lived access token for its principal, which the gateway forwards downstream so
     * services only ever see JWTs.
     */
    record Verification(String keyId, String tenantId, String principal, List<String> scopes, RateLimit rateLimit,
                        @Schema(allowableValues = {"active", "deprecated"}) String status,
                        @Nullable Instant expiresAt, String accessToken, Instant accessTokenExpiresAt) {

        @Override
        public String toString() {
            return "Verification[keyId=" + keyId + ", tenantId=" + tenantId + ", status=" + status + "]";
        }
    }

    private static final Duration DOWNSTREAM_TOKEN_TTL = Duration.ofMinutes(5);

    private final ApiKeyManagement management;
    private final AccessTokens tokens;
    private final TenantManagement tenants;
    private final Clock clock;

    ApiKeyVerificationController(ApiKeyManagement management, AccessTokens tokens, TenantManagement tenants,
                                 Optional<Clock> clock) {
        this.management = management;
        this.tokens = tokens;
        this.tenants = tenants;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Operation(summary = "Verify a presented API key",
            description = "200 with the key's tenant, principal, scopes and limits, and a short-lived access token"
                    + " for its principal; 401 INVALID_API_KEY for an unknown, malformed, revoked or expired key.",
            operationId = "verifyApiKey")
    @PostMapping("/internal/v1/keys/verify")
    @RequiredControls(scopes = ApiKeyScopes.VERIFY_KEYS)
    Verification verify(@Valid @RequestBody VerifyRequest request) {
        VerifiedApiKey key = management.verify(request.apiKey()).orElseThrow(InvalidApiKey::new);
        Duration ttl = DOWNSTREAM_TOKEN_TTL;
        if (key.expiresAt() != null) {
            Duration left = Duration.between(clock.instant(), key.expiresAt());
            ttl = left.compareTo(ttl) < 0 ? (left.isNegative() ? Duration.ZERO : left) : ttl;
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("key_id", key.keyId());
        tenants.find(key.tenantId()).ifPresent(tenant -> {
            claims.put("addons", tenant.addOns());
            claims.put("plan", tenant.plan());
        });
        AccessTokens.IssuedToken token = tokens.issue(key.principal(), key.tenantId(), key.scopes(), List.of(),
                claims, ttl);
        return new Verification(key.keyId(), key.tenantId(), key.principal(), key.scopes(), key.rateLimit(),
                key.status().value(), key.expiresAt(), token.value(), token.expiresAt());
    }
}
