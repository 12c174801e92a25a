package io.qnsp.auth.apikey.web;

import io.qnsp.auth.apikey.ApiKeyManagement;
import io.qnsp.auth.apikey.ApiKeyScopes;
import io.qnsp.auth.apikey.InvalidApiKey;
import io.qnsp.auth.apikey.VerifiedApiKey;
import io.qnsp.common.controls.RequiredControls;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

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

    private final ApiKeyManagement management;

    ApiKeyVerificationController(ApiKeyManagement management) {
        this.management = management;
    }

    @Operation(summary = "Verify a presented API key",
            description = "200 with the key's tenant, principal, scopes and limits; 401 INVALID_API_KEY otherwise.")
    @PostMapping("/internal/v1/keys/verify")
    @RequiredControls(scopes = ApiKeyScopes.VERIFY_KEYS)
    VerifiedApiKey verify(@Valid @RequestBody VerifyRequest request) {
        return management.verify(request.apiKey()).orElseThrow(InvalidApiKey::new);
    }
}
