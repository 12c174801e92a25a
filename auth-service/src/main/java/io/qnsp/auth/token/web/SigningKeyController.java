package io.qnsp.auth.token.web;

import io.qnsp.auth.tenant.TenantManagement;
import io.qnsp.auth.token.SigningKeys;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.OpenApiAutoConfiguration;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Token signing keys")
@SecurityRequirement(name = OpenApiAutoConfiguration.BEARER_JWT)
@RestController
class SigningKeyController {

    record Rotated(String kid) {
    }

    private final SigningKeys keys;

    SigningKeyController(SigningKeys keys) {
        this.keys = keys;
    }

    @Operation(summary = "Rotate the token signing key now (platform operators)",
            description = "The new key signs from now on; the previous one stays in the JWKS until the next rotation.",
            operationId = "rotateSigningKey")
    @PostMapping("/auth/admin/signing-keys/rotate")
    @RequiredControls(admin = true, roles = TenantManagement.PLATFORM_ADMIN, audit = "auth.signing_key.rotated",
            resourceType = "signing_key", resourceId = "#result.kid")
    Rotated rotate() {
        return new Rotated(keys.rotate().getKeyID());
    }
}
