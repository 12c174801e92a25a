package io.qnsp.cryptoinventory.hardware.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.cryptoinventory.CryptoScopes;
import io.qnsp.cryptoinventory.hardware.HardwareDevice;
import io.qnsp.cryptoinventory.hardware.HardwareManagement;
import io.qnsp.cryptoinventory.hardware.HealthCheck;
import io.qnsp.cryptoinventory.inventory.CryptoAsset;
import io.qnsp.cryptoinventory.inventory.CryptoInventory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Hardware inventory: the crypto devices a tenant registers, the health checks recorded for them, and a summary
 * that also counts the tenant's BYOHSM connections at kms-service.
 */
@Tag(name = "Hardware Inventory")
@RestController
@RequestMapping("/crypto/v1/hardware")
class HardwareController {

    static final int MAX_TEXT = 128;
    static final int MAX_CAPABILITIES = 50;

    record RegisterHardwareRequest(@Nullable String name,
                                   @Schema(allowableValues = {"hsm", "tpm", "smartcard", "accelerator"})
                                   @Nullable String type,
                                   @Nullable String vendor, @Nullable String model, @Nullable String serialNumber,
                                   @Nullable String location,
                                   @Schema(description = "what the device does, e.g. algorithms it implements "
                                           + "(ML-KEM-768, ML-DSA-65, RSA-3072) or functions") @Nullable
                                   List<String> capabilities,
                                   @Nullable String firmwareVersion) {
    }

    record HardwareRegistered(String hardwareId, String name, Instant createdAt) {
    }

    record HealthMetrics(@Nullable Double temperature,
                         @Schema(description = "not negative") @Nullable Double operationsPerSecond,
                         @Schema(description = "0 to 1") @Nullable Double errorRate) {
    }

    record RecordHealthRequest(@Schema(allowableValues = {"healthy", "degraded", "failed"}) @Nullable String status,
                               @Nullable HealthMetrics metrics) {
    }

    record HealthRecorded(String healthCheckId, Instant recordedAt) {
    }

    record HardwareSummary(long totalDevices,
                           @Schema(description = "hsm, tpm, smartcard and accelerator, each present")
                           Map<String, Long> byType,
                           @Schema(description = "by the latest health check: healthy, degraded, failed, and "
                                   + "unchecked for devices without one") Map<String, Long> byStatus) {
    }

    private final HardwareManagement hardware;
    private final CryptoInventory inventory;

    HardwareController(HardwareManagement hardware, CryptoInventory inventory) {
        this.hardware = hardware;
        this.inventory = inventory;
    }

    @Operation(summary = "Register a crypto hardware device", operationId = "registerHardware",
            description = "Needs crypto:write.")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = CryptoScopes.WRITE, audit = "crypto.hardware.registered", resourceType = "hardware",
            resourceId = "#result.hardwareId")
    HardwareRegistered register(Caller caller, @RequestBody RegisterHardwareRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        String name = text(request.name(), "name", true, problems);
        if (request.type() == null) {
            problems.add("type", "is required");
        } else if (!HardwareDevice.TYPES.contains(request.type())) {
            problems.add("type", "must be one of " + HardwareDevice.TYPE_ORDER);
        }
        String vendor = text(request.vendor(), "vendor", false, problems);
        String model = text(request.model(), "model", false, problems);
        String serial = text(request.serialNumber(), "serialNumber", false, problems);
        String location = text(request.location(), "location", false, problems);
        String firmware = text(request.firmwareVersion(), "firmwareVersion", false, problems);
        List<String> capabilities = new ArrayList<>();
        if (request.capabilities() != null) {
            if (request.capabilities().size() > MAX_CAPABILITIES) {
                problems.add("capabilities", "must have at most " + MAX_CAPABILITIES + " entries");
            } else if (request.capabilities().stream().anyMatch(c -> c == null || c.isBlank()
                    || c.strip().length() > MAX_TEXT)) {
                problems.add("capabilities", "entries must be non-empty and at most " + MAX_TEXT + " characters");
            } else {
                capabilities.addAll(new LinkedHashSet<>(request.capabilities().stream().map(String::strip).toList()));
            }
        }
        problems.throwIfAny();
        HardwareDevice device = hardware.register(tenant, new HardwareManagement.NewDevice(name, request.type(),
                vendor, model, serial, location, capabilities, firmware));
        return new HardwareRegistered(device.hardwareId().toString(), device.name(), device.createdAt());
    }

    @Operation(summary = "Record a hardware health check", operationId = "recordHardwareHealth",
            description = "Needs crypto:write. Another tenant's device (or a malformed id) is 404.")
    @FailureResponse(status = 404, description = "No such device in the caller's tenant")
    @PostMapping("/{hardwareId}/health")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = CryptoScopes.WRITE, audit = "crypto.hardware.health_recorded",
            resourceType = "hardware", resourceId = "#hardwareId",
            auditDetails = "{'status': #request?.status()}")
    HealthRecorded recordHealth(Caller caller, @PathVariable String hardwareId,
                                @RequestBody RecordHealthRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.status() == null) {
            problems.add("status", "is required");
        } else if (!HealthCheck.STATUSES.contains(request.status())) {
            problems.add("status", "must be one of " + HealthCheck.STATUSES);
        }
        HealthMetrics metrics = request.metrics() == null ? new HealthMetrics(null, null, null) : request.metrics();
        if (metrics.temperature() != null && !Double.isFinite(metrics.temperature())) {
            problems.add("metrics.temperature", "must be a finite number");
        }
        if (metrics.operationsPerSecond() != null
                && (!Double.isFinite(metrics.operationsPerSecond()) || metrics.operationsPerSecond() < 0)) {
            problems.add("metrics.operationsPerSecond", "must be a number not below 0");
        }
        if (metrics.errorRate() != null && !(metrics.errorRate() >= 0 && metrics.errorRate() <= 1)) {
            problems.add("metrics.errorRate", "must be a number from 0 to 1");
        }
        problems.throwIfAny();
        HealthCheck check = hardware.recordHealth(tenant, hardwareId, request.status(),
                new HardwareManagement.Metrics(metrics.temperature(), metrics.operationsPerSecond(),
                        metrics.errorRate()));
        return new HealthRecorded(check.healthCheckId().toString(), check.recordedAt());
    }

    @Operation(summary = "Get the hardware inventory summary", operationId = "getHardwareSummary",
            description = "The tenant's registered devices by type and by the status of their latest health check. "
                    + "For a tenant with the byohsm add-on and a caller holding kms:read, its BYOHSM connections at "
                    + "kms-service are counted as HSMs too (active as healthy, inactive as degraded, error as "
                    + "failed, pending_validation as unchecked). Needs crypto:read.")
    @GetMapping("/summary")
    @RequiredControls(scopes = CryptoScopes.READ, audit = "crypto.hardware.summary.read")
    HardwareSummary summary(Caller caller) {
        HardwareManagement.Summary registered = hardware.summary(TenantRequired.tenantOf(caller));
        Map<String, Long> byType = new LinkedHashMap<>(registered.byType());
        Map<String, Long> byStatus = new LinkedHashMap<>(registered.byStatus());
        List<CryptoAsset> connections = inventory.hsmConnections(caller);
        for (CryptoAsset connection : connections) {
            byType.merge("hsm", 1L, Long::sum);
            byStatus.merge(connectionStatus(connection.state()), 1L, Long::sum);
        }
        return new HardwareSummary(registered.totalDevices() + connections.size(), byType, byStatus);
    }

    static String connectionStatus(String status) {
        return switch (status) {
            case "active" -> "healthy";
            case "inactive" -> "degraded";
            case "error" -> "failed";
            default -> HardwareManagement.UNCHECKED;
        };
    }

    private static @Nullable String text(@Nullable String value, String field, boolean required,
                                         InvalidField.Problems problems) {
        if (value == null || value.isBlank()) {
            if (required) {
                problems.add(field, "is required");
            }
            return null;
        }
        if (value.strip().length() > MAX_TEXT) {
            problems.add(field, "must be at most " + MAX_TEXT + " characters");
            return null;
        }
        return value.strip();
    }
}
