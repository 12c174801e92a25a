package io.qnsp.common.controls;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

/** Endpoints declaring controls the way services do, writing to the database like a real change would. */
@RestController
class ControlledController {

    record CreateKey(@NotBlank String name, boolean fail) {
    }

    record KeyCreated(String id, String name) {
    }

    record ConnectHsm(@NotBlank String name) {
    }

    static class KeyNotFound extends ApiException {
        KeyNotFound() {
            super(HttpStatus.NOT_FOUND, "key_not_found", "No such key");
        }
    }

    /** Referenced from a resourceId expression as {@code @resourceIds}. */
    static class ResourceIds {
        public String hsm(String name) {
            return "hsm:" + name;
        }
    }

    private final JdbcTemplate jdbc;

    ControlledController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        // checked at commit, so a duplicate fails only after the call's success events were appended
        jdbc.execute("create table if not exists controlled_keys (id text primary key, tenant_id text, name text,"
                + " constraint controlled_keys_name unique (tenant_id, name) deferrable initially deferred)");
    }

    @Operation(summary = "Create a key", operationId = "createKey")
    @FailureResponse(status = 500, description = "When asked to fail after writing")
    @PostMapping("/kms/keys")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = "kms:write", quota = "kms.keys", audit = "kms.key.created", resourceType = "key",
            resourceId = "#result.id", metering = "kms.key.create")
    KeyCreated create(@Valid @RequestBody CreateKey request, Caller caller) {
        String id = "key-" + UUID.randomUUID();
        jdbc.update("insert into controlled_keys (id, tenant_id, name) values (?, ?, ?)", id, caller.tenantId(),
                request.name());
        if (request.fail()) {
            throw new IllegalStateException("the HSM failed after the key row was written");
        }
        return new KeyCreated(id, request.name());
    }

    @Operation(summary = "Delete a key", operationId = "deleteKey")
    @DeleteMapping("/kms/keys/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiredControls(scopes = "kms:write", audit = "kms.key.deleted", resourceType = "key", resourceId = "#keyId",
            auditDetails = "{'reason': #reason, 'unset': null}")
    void delete(@PathVariable String keyId, @RequestParam(required = false) String reason) {
        if (jdbc.update("delete from controlled_keys where id = ?", keyId) == 0) {
            throw new KeyNotFound();
        }
    }

    @Operation(summary = "Connect an HSM", operationId = "connectHsm")
    @PostMapping("/kms/hsm")
    @RequiredControls(scopes = "kms:write", addOn = "byohsm", audit = "kms.hsm.connected", resourceType = "hsm",
            resourceId = "@resourceIds.hsm(#request.name)")
    Map<String, Object> connectHsm(@RequestBody ConnectHsm request) {
        return Map.of("connected", request.name());
    }

    @Operation(summary = "Platform statistics", operationId = "platformStats")
    @GetMapping("/admin/stats")
    @RequiredControls(admin = true, audit = "platform.stats.viewed")
    Map<String, Object> stats() {
        return Map.of("keys", jdbc.queryForObject("select count(*) from controlled_keys", Long.class));
    }

    @Operation(summary = "Platform tenants", operationId = "platformTenants")
    @GetMapping("/admin/tenants")
    @RequiredControls(admin = true, roles = "platform_admin")
    Map<String, Object> tenants() {
        return Map.of("tenants", 0);
    }

    @Operation(summary = "A report", operationId = "report")
    @GetMapping("/open/report")
    @RequiredControls(scopes = "reports:read")
    Map<String, Object> report() {
        return Map.of("report", "ok");
    }

    @Operation(summary = "Key usage", operationId = "keyUsage")
    @GetMapping("/kms/usage")
    @RequiredControls(metering = "kms.usage.read")
    Map<String, Object> usage() {
        return Map.of("usage", 1);
    }
}
