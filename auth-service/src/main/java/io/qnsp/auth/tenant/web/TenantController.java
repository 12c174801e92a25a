package io.qnsp.auth.tenant.web;

import io.qnsp.auth.tenant.Tenant;
import io.qnsp.auth.tenant.TenantClient;
import io.qnsp.auth.tenant.TenantManagement;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.openapi.OpenApiAutoConfiguration;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;

@Tag(name = "Tenants and clients")
@SecurityRequirement(name = OpenApiAutoConfiguration.BEARER_JWT)
@RestController
@RequestMapping("/auth/admin/tenants")
class TenantController {

    record CreateTenantRequest(@NotBlank String id, @NotBlank @Size(max = 200) String name, @NotBlank String plan,
                               @Nullable @Size(max = 50) List<String> addOns,
                               @Nullable @Size(max = 100) Map<String, Long> quotas) {
    }

    record TenantPage(List<Tenant> tenants, long total, int limit, int offset) {
    }

    record CreateClientRequest(@NotBlank @Size(max = 200) String name, @NotNull @Size(max = 50) List<String> scopes,
                               @Nullable @Size(max = 20) List<String> roles) {
    }

    /** The client secret appears here once and is stored only as a hash. */
    record CreatedClient(String clientId, String clientSecret, String tenantId, String name, List<String> scopes,
                         List<String> roles, Instant createdAt, String tokenEndpoint) {
    }

    record ClientList(List<TenantClient> clients) {
    }

    private final TenantManagement tenants;

    TenantController(TenantManagement tenants) {
        this.tenants = tenants;
    }

    @Operation(summary = "Create a tenant (platform operators)", operationId = "createTenant")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @FailureResponse(status = 409, description = "A tenant with this id exists (details.field id)")
    @RequiredControls(admin = true, roles = TenantManagement.PLATFORM_ADMIN, audit = "auth.tenant.created",
            resourceType = "tenant", resourceId = "#result.id")
    Tenant create(@Valid @RequestBody CreateTenantRequest request) {
        return tenants.createTenant(request.id(), request.name(), request.plan(), request.addOns(), request.quotas());
    }

    @Operation(summary = "List tenants, oldest first (platform operators)", operationId = "listTenants")
    @GetMapping
    @RequiredControls(admin = true, roles = TenantManagement.PLATFORM_ADMIN)
    TenantPage list(@RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
                    @RequestParam(defaultValue = "0") @Min(0) int offset) {
        return new TenantPage(tenants.tenants(limit, offset), tenants.tenantCount(), limit, offset);
    }

    @Operation(summary = "A tenant: any for platform operators, their own for tenant administrators",
            operationId = "getTenant")
    @GetMapping("/{tenantId}")
    @RequiredControls(admin = true)
    Tenant get(Caller caller, @PathVariable String tenantId) {
        return tenants.tenant(caller, tenantId);
    }

    @Operation(summary = "Register a client-credentials client for a tenant; its secret is shown only here",
            operationId = "createTenantClient")
    @PostMapping("/{tenantId}/clients")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(admin = true, audit = "auth.client.created", resourceType = "oauth_client",
            resourceId = "#result.clientId")
    CreatedClient createClient(Caller caller, @PathVariable String tenantId,
                               @Valid @RequestBody CreateClientRequest request) {
        TenantManagement.IssuedClient issued = tenants.createClient(caller, tenantId, request.name(),
                request.scopes(), request.roles());
        TenantClient client = issued.client();
        return new CreatedClient(client.clientId(), issued.clientSecret(), client.tenantId(), client.name(),
                client.scopes(), client.roles(), client.createdAt(), "/oauth2/token");
    }

    @Operation(summary = "A tenant's clients (never their secrets)", operationId = "listTenantClients")
    @GetMapping("/{tenantId}/clients")
    @RequiredControls(admin = true)
    ClientList clients(Caller caller, @PathVariable String tenantId) {
        return new ClientList(tenants.clients(caller, tenantId));
    }
}
