package io.qnsp.auth.apikey.web;

import io.qnsp.auth.apikey.ApiKeyChanges;
import io.qnsp.auth.apikey.ApiKeyDetails;
import io.qnsp.auth.apikey.ApiKeyManagement;
import io.qnsp.auth.apikey.ApiKeyQuery;
import io.qnsp.auth.apikey.ApiKeyScopes;
import io.qnsp.auth.apikey.ApiKeySummary;
import io.qnsp.auth.apikey.CreatedApiKey;
import io.qnsp.auth.apikey.NewApiKey;
import io.qnsp.auth.apikey.RevokedApiKey;
import io.qnsp.auth.apikey.RotatedApiKey;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.envelope.Paged;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * DataHub API key management (spec 003). Answers in the DataHub family: the envelope and error format come from
 * common-lib ({@code qnsp.errors.path-families.datahub}), the scopes, audit and tenant scoping from the controls.
 */
@Tag(name = "API keys")
@RestController
@RequestMapping("/api/v1/keys")
class ApiKeyController {

    /** Body of a rotation; the period is in seconds, the configured default when left out. */
    record RotateRequest(@Nullable Long deprecationPeriod) {
    }

    private final ApiKeyManagement management;

    ApiKeyController(ApiKeyManagement management) {
        this.management = management;
    }

    @Operation(summary = "Create an API key", description = "The key itself is in this answer only.",
            operationId = "createApiKey")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = ApiKeyScopes.WRITE_KEYS, audit = "auth.api_key.created", resourceType = "api_key",
            resourceId = "#result.id", auditDetails = "{'name': #result?.name(), 'description': #result?.description(), "
            + "'keyPrefix': #result?.keyPrefix()}")
    CreatedApiKey create(Caller caller, @RequestBody NewApiKey request) {
        return management.create(caller, request);
    }

    @Operation(summary = "List API keys", description = "status: all|active|deprecated|revoked|expired; "
            + "sortBy: createdAt|name|lastUsedAt|expiresAt|status; sortOrder: asc|desc.", operationId = "listApiKeys")
    @GetMapping
    @RequiredControls(scopes = ApiKeyScopes.READ_KEYS)
    Paged<ApiKeySummary> list(Caller caller,
                              @RequestParam(required = false) Integer page,
                              @RequestParam(required = false) Integer pageSize,
                              @RequestParam(required = false) String status,
                              @RequestParam(required = false) String search,
                              @RequestParam(required = false) String sortBy,
                              @RequestParam(required = false) String sortOrder) {
        return management.list(caller, ApiKeyQuery.parse(page, pageSize, status, search, sortBy, sortOrder));
    }

    @Operation(summary = "Get an API key", operationId = "getApiKey")
    @GetMapping("/{id}")
    @RequiredControls(scopes = ApiKeyScopes.READ_KEYS)
    ApiKeyDetails get(Caller caller, @PathVariable String id) {
        return management.get(caller, id);
    }

    @Operation(summary = "Update an API key", description = "Fields left out are unchanged.",
            operationId = "updateApiKey")
    @PutMapping("/{id}")
    @RequiredControls(scopes = ApiKeyScopes.WRITE_KEYS, audit = "auth.api_key.updated", resourceType = "api_key",
            resourceId = "#id", auditDetails = "{'name': #result?.name(), 'description': #result?.description()}")
    ApiKeyDetails update(Caller caller, @PathVariable String id, @RequestBody ApiKeyChanges changes) {
        return management.update(caller, id, changes);
    }

    @Operation(summary = "Revoke an API key", description = "Soft delete: the key fails verification at once.",
            operationId = "revokeApiKey")
    @DeleteMapping("/{id}")
    @RequiredControls(scopes = ApiKeyScopes.WRITE_KEYS, audit = "auth.api_key.revoked", resourceType = "api_key",
            resourceId = "#id")
    RevokedApiKey revoke(Caller caller, @PathVariable String id) {
        return management.revoke(caller, id);
    }

    @Operation(summary = "Rotate an API key",
            description = "Issues a new key; the old one keeps working for deprecationPeriod seconds (default 86400).",
            operationId = "rotateApiKey")
    @PostMapping("/{id}/rotate")
    @FailureResponse(status = 409, description = "Only an active key can be rotated; details.status says what it is")
    @RequiredControls(scopes = ApiKeyScopes.WRITE_KEYS, audit = "auth.api_key.rotated", resourceType = "api_key",
            resourceId = "#id")
    RotatedApiKey rotate(Caller caller, @PathVariable String id,
                         @RequestBody(required = false) RotateRequest request) {
        return management.rotate(caller, id, request == null ? null : request.deprecationPeriod());
    }
}
