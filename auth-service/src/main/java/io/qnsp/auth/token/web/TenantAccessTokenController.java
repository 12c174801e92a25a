package io.qnsp.auth.token.web;

import io.qnsp.auth.AuthSettings;
import io.qnsp.auth.tenant.Tenant;
import io.qnsp.auth.tenant.TenantManagement;
import io.qnsp.auth.token.AccessTokens;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.OpenApiAutoConfiguration;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform operator acting within a tenant: a short-lived access token of a tenant administrator of that tenant,
 * which names the operator as its subject and, in the {@code act} claim (RFC 8693), as the actor. Every service scopes
 * a request by the token's tenant, so this is how the operator's tools (the dashboard's tenant switch) see and manage
 * a tenant's data without a client of their own in it. An operator could register such a client anyway; a token
 * that expires is the narrower grant, and issuing one is audited.
 */
@Tag(name = "Tenants and clients")
@SecurityRequirement(name = OpenApiAutoConfiguration.BEARER_JWT)
@RestController
class TenantAccessTokenController {

    static final List<String> TENANT_ADMIN = List.of("admin");

    record TenantAccessToken(String accessToken, @Schema(allowableValues = "Bearer") String tokenType,
                             @Schema(description = "Seconds until it expires") long expiresIn, Instant expiresAt,
                             String tenantId, @Schema(description = "The operator it was issued to") String actor) {
    }

    private final TenantManagement tenants;
    private final AccessTokens tokens;
    private final AuthSettings settings;

    TenantAccessTokenController(TenantManagement tenants, AccessTokens tokens, AuthSettings settings) {
        this.tenants = tenants;
        this.tokens = tokens;
        this.settings = settings;
    }

    @Operation(summary = "An access token acting within a tenant (platform operators)",
            operationId = "issueTenantAccessToken",
            description = "A token of the tenant's administrator (role and scope admin, the tenant's add-ons, plan and "
                    + "quotas), with the operator as subject and actor (act.sub), valid as long as a client's token. "
                    + "Needs the platform_admin role; an unknown tenant is 404.")
    @PostMapping("/auth/admin/tenants/{tenantId}/access-tokens")
    @RequiredControls(admin = true, roles = TenantManagement.PLATFORM_ADMIN,
            audit = "auth.tenant.access_token_issued", resourceType = "tenant", resourceId = "#tenantId")
    TenantAccessToken issue(Caller caller, @PathVariable String tenantId) {
        Tenant tenant = tenants.tenant(caller, tenantId);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("addons", new ArrayList<>(tenant.addOns()));
        claims.put("plan", tenant.plan());
        claims.put("quotas", new LinkedHashMap<>(tenant.quotas()));
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("sub", caller.principal());
        if (caller.tenantId() != null) {
            actor.put("tenant_id", caller.tenantId());
        }
        claims.put("act", actor);
        AccessTokens.IssuedToken token = tokens.issue(caller.principal(), tenant.id(), TENANT_ADMIN, TENANT_ADMIN,
                claims, settings.accessTokenTtl());
        return new TenantAccessToken(token.value(), "Bearer", settings.accessTokenTtl().toSeconds(),
                token.expiresAt(), tenant.id(), caller.principal());
    }
}
