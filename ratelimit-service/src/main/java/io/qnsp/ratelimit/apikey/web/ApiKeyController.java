package io.qnsp.ratelimit.apikey.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.ratelimit.apikey.ApiKeyManagement;
import io.qnsp.ratelimit.apikey.ApiKeyView;
import io.qnsp.ratelimit.apikey.Limits;
import io.qnsp.ratelimit.usage.UsageMetrics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

// security as the platform documents it: the operator's X-Admin-Token, or a tenant administrator's JWT
@Tag(name = "API key management")
@RestController
@RequestMapping("/v1/api-keys")
class ApiKeyController {

    private static final String KEY_ID_OF = "@apiKeyManagement.keyIdOf(#caller, #key)";
    private static final String KEY = "The API key itself (RAT-…) or its keyId";
    private static final String MALFORMED_KEY = "key is neither an API key nor a key id";

    record LimitsBody(@NotNull String algorithm, @NotNull Integer tokensPerSecond, @NotNull Integer burstCapacity) {

        Limits limits() {
            return new Limits(algorithm, tokensPerSecond, burstCapacity);
        }
    }

    /** {@code description} and {@code limits} may be left out: no description, the default limits. */
    record CreateKeyRequest(@NotBlank @Size(max = 200) String name,
                            @Nullable @Size(max = 2000) String description, @Nullable @Valid LimitsBody limits) {
    }

    /** {@code description} is null when the key was created without one. */
    record CreatedKey(String apiKey, UUID keyId, String name, @Nullable String description, String status,
                      Instant createdAt, Limits limits) {
    }

    record KeySummary(String apiKey, UUID keyId, String name, @Nullable String description, String status,
                      Instant createdAt) {

        static KeySummary of(ApiKeyView key) {
            return new KeySummary(key.apiKey(), key.keyId(), key.name(), key.description(), key.status(),
                    key.createdAt());
        }
    }

    record KeyDetails(String apiKey, UUID keyId, String name, @Nullable String description, String status,
                      Instant createdAt, Instant updatedAt, Limits limits, UsageMetrics.Summary metricsSummary) {
    }

    private final ApiKeyManagement management;
    private final UsageMetrics metrics;

    ApiKeyController(ApiKeyManagement management, UsageMetrics metrics) {
        this.management = management;
        this.metrics = metrics;
    }

    @Operation(operationId = "createApiKey", summary = "Issue an API key",
            description = "Limits default to the service's configured ones.")
    @PostMapping
    @RequiredControls(admin = true, audit = "ratelimit.api_key.created", resourceType = "api_key",
            resourceId = "#result.keyId")
    CreatedKey create(Caller caller, @Valid @RequestBody CreateKeyRequest request) {
        ApiKeyView key = management.create(caller, request.name(), request.description(),
                request.limits() == null ? null : request.limits().limits());
        return new CreatedKey(key.apiKey(), key.keyId(), key.name(), key.description(), key.status(),
                key.createdAt(), key.limits());
    }

    @Operation(operationId = "listApiKeys", summary = "List API keys, oldest first",
            description = "Paged by page (from 0) and size (1-200); X-Total-Count and Link headers describe the pages.")
    @ApiResponse(responseCode = "200", description = "One page of keys",
            headers = {
                    @Header(name = "X-Total-Count", description = "How many keys there are in all", required = true,
                            schema = @Schema(type = "integer", format = "int64")),
                    @Header(name = "X-Page", description = "This page's number, from 0", required = true,
                            schema = @Schema(type = "integer", format = "int32")),
                    @Header(name = "X-Page-Size", description = "The page size asked for", required = true,
                            schema = @Schema(type = "integer", format = "int32")),
                    @Header(name = "Link", description = "<url>; rel=\"next\" when a next page exists",
                            schema = @Schema(type = "string"))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    array = @ArraySchema(schema = @Schema(implementation = KeySummary.class))))
    @GetMapping
    @RequiredControls(admin = true)
    ResponseEntity<List<KeySummary>> list(Caller caller,
                                          @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                                          @RequestParam(defaultValue = "50") @Min(1) @Max(200) int size) {
        Page<ApiKeyView> keys = management.list(caller, page, size);
        ResponseEntity.BodyBuilder response = ResponseEntity.ok()
                .header("X-Total-Count", Long.toString(keys.getTotalElements()))
                .header("X-Page", Integer.toString(page))
                .header("X-Page-Size", Integer.toString(size));
        if (keys.hasNext()) {
            String next = ServletUriComponentsBuilder.fromCurrentRequest()
                    .replaceQueryParam("page", page + 1).replaceQueryParam("size", size).toUriString();
            response.header("Link", "<" + next + ">; rel=\"next\"");
        }
        return response.body(keys.map(KeySummary::of).getContent());
    }

    @Operation(operationId = "getApiKey", summary = "A key with its limits and usage totals")
    @FailureResponse(status = 400, description = MALFORMED_KEY)
    @GetMapping("/{key}")
    @RequiredControls(admin = true)
    KeyDetails details(Caller caller, @Parameter(description = KEY) @PathVariable String key) {
        ApiKeyView view = management.find(caller, key);
        return new KeyDetails(view.apiKey(), view.keyId(), view.name(), view.description(), view.status(),
                view.createdAt(), view.updatedAt(), view.limits(), metrics.summary(view.keyId()));
    }

    @Operation(operationId = "updateApiKeyLimits", summary = "Replace a key's limits; the next check uses them")
    @PutMapping("/{key}/limits")
    @RequiredControls(admin = true, audit = "ratelimit.api_key.limits_changed", resourceType = "api_key",
            resourceId = KEY_ID_OF)
    Limits updateLimits(Caller caller, @Parameter(description = KEY) @PathVariable String key, @Valid @RequestBody LimitsBody body) {
        return management.updateLimits(caller, key, body.limits());
    }

    @Operation(operationId = "getApiKeyLimits", summary = "A key's limits")
    @FailureResponse(status = 400, description = MALFORMED_KEY)
    @GetMapping("/{key}/limits")
    @RequiredControls(admin = true)
    Limits limits(Caller caller, @Parameter(description = KEY) @PathVariable String key) {
        return management.find(caller, key).limits();
    }

    @Operation(operationId = "disableApiKey", summary = "Disable a key: its checks answer 401 until it is enabled again")
    @FailureResponse(status = 400, description = MALFORMED_KEY)
    @PostMapping("/{key}/disable")
    @RequiredControls(admin = true, audit = "ratelimit.api_key.disabled", resourceType = "api_key",
            resourceId = "#result.keyId")
    KeySummary disable(Caller caller, @Parameter(description = KEY) @PathVariable String key) {
        return KeySummary.of(management.disable(caller, key));
    }

    @Operation(operationId = "enableApiKey", summary = "Enable a disabled key")
    @FailureResponse(status = 400, description = MALFORMED_KEY)
    @PostMapping("/{key}/enable")
    @RequiredControls(admin = true, audit = "ratelimit.api_key.enabled", resourceType = "api_key",
            resourceId = "#result.keyId")
    KeySummary enable(Caller caller, @Parameter(description = KEY) @PathVariable String key) {
        return KeySummary.of(management.enable(caller, key));
    }

    @Operation(operationId = "deleteApiKey", summary = "Delete a key and its usage history")
    @FailureResponse(status = 400, description = MALFORMED_KEY)
    @DeleteMapping("/{key}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiredControls(admin = true, audit = "ratelimit.api_key.deleted", resourceType = "api_key",
            resourceId = KEY_ID_OF)
    void delete(Caller caller, @Parameter(description = KEY) @PathVariable String key) {
        management.delete(caller, key);
    }
}
