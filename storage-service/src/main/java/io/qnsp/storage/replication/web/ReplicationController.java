package io.qnsp.storage.replication.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.storage.StorageScopes;
import io.qnsp.storage.replication.ReplicationConfig;
import io.qnsp.storage.replication.ReplicationManagement;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Replication of objects to other regions' volumes, with status, lag and health measured from the copies made and
 * pending. Configurations need {@code storage:govern}, reading {@code storage:read}.
 */
@Tag(name = "Replication")
@RestController
@RequestMapping("/storage/v1/replication")
class ReplicationController {

    record ReplicationConfigScope(@Schema(description = "bucket names; every bucket when left out") @Nullable
                            List<String> buckets,
                            @Schema(description = "key prefixes; every key when left out") @Nullable
                            List<String> prefixes) {
    }

    record CreateReplicationConfigRequest(@Nullable String name,
                               @Schema(description = "the region this service stores objects in") @Nullable
                               String sourceRegion,
                               @Schema(description = "regions configured on the service (qnsp.storage.replica-regions)")
                               @Nullable List<String> destinationRegions, @Nullable ReplicationConfigScope scope,
                               @Schema(description = "sync: copied before the upload is answered (a failed copy is "
                                       + "retried like an async one); async (default): copied by the workers")
                               @Nullable String replicationMode,
                               @Schema(description = "true (default): the replica is the encrypted file as stored, "
                                       + "byte for byte; false: the replica is the decrypted content")
                               @Nullable Boolean encryptionAtRest) {
    }

    record ReplicationConfigCreated(UUID configId, String name, @Schema(allowableValues = "active") String status,
                         Instant createdAt) {
    }

    record ReplicationConfigView(UUID configId, String name, String sourceRegion, List<String> destinationRegions,
                      List<String> buckets, List<String> prefixes, String replicationMode, boolean encryptionAtRest,
                      String status, Instant createdAt) {
    }

    record ReplicationConfigList(List<ReplicationConfigView> configurations) {
    }

    record ReplicationFailureView(UUID objectId, String region, int attempts, @Nullable String lastError,
                       Instant nextAttemptAt) {
    }

    record ReplicationConfigStatusView(UUID configId, String name,
                            @Schema(description = "healthy; degraded (copies failing, or the oldest pending older than "
                                    + "the lag threshold); error (a copy failed qnsp.storage.replication.error-attempts "
                                    + "times, or a destination volume is unavailable)",
                                    allowableValues = {"healthy", "degraded", "error"}) String status,
                            @Schema(description = "age of the oldest pending copy; 0 when none is pending")
                            double lagSeconds, long pendingObjects,
                            @Schema(description = "pending objects whose copy has failed at least once")
                            long failingObjects,
                            @Schema(description = "the copies failing now, most tried first (at most 10)")
                            List<ReplicationFailureView> failures) {
    }

    record ReplicationStatusView(List<ReplicationConfigStatusView> configurations) {
    }

    record ReplicationRegionView(String region,
                      @Schema(description = "healthy, degraded (copies to it failing) or unavailable (its volume "
                              + "cannot be written)") String status,
                      @Schema(description = "mean duration of the copies made to it in the last hour") @Nullable
                      Double latencyMs,
                      @Schema(description = "when the last copy to it completed") @Nullable Instant lastSyncAt,
                      long pendingObjects, @Schema(description = "why the volume cannot be written") @Nullable
                      String problem) {
    }

    record ReplicationHealthView(@Schema(allowableValues = {"healthy", "degraded", "critical"}) String overallHealth,
                      List<ReplicationRegionView> regions) {
    }

    private final ReplicationManagement replication;

    ReplicationController(ReplicationManagement replication) {
        this.replication = replication;
    }

    @Operation(summary = "Create a replication configuration", operationId = "createReplicationConfiguration",
            description = "Copies the objects in scope from the service's region to each destination region's "
                    + "volume: those there now (queued at once) and every one written or deleted later. Needs "
                    + "storage:govern.")
    @ApiResponse(responseCode = "201", description = "The configuration is active")
    @FailureResponse(status = 409, description = "The tenant already has a configuration of this name")
    @PostMapping("/configurations")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = StorageScopes.GOVERN, audit = "storage.replication_configuration.created",
            resourceType = "replication_configuration", resourceId = "#result.configId")
    ReplicationConfigCreated createReplicationConfiguration(Caller caller, @RequestBody CreateReplicationConfigRequest request) {
        ReplicationConfigScope scope = request.scope();
        ReplicationConfig config = replication.create(TenantRequired.tenantOf(caller), request.name(),
                request.sourceRegion(), request.destinationRegions(), scope == null ? null : scope.buckets(),
                scope == null ? null : scope.prefixes(), request.replicationMode(), request.encryptionAtRest(),
                caller.principal());
        return new ReplicationConfigCreated(config.configId(), config.name(), config.status(), config.createdAt());
    }

    @Operation(summary = "List replication configurations, oldest first", operationId = "listReplicationConfigurations",
            description = "Needs storage:read.")
    @GetMapping("/configurations")
    @RequiredControls(scopes = StorageScopes.READ)
    ReplicationConfigList listReplicationConfigurations(Caller caller) {
        return new ReplicationConfigList(replication.configs(TenantRequired.tenantOf(caller)).stream()
                .map(c -> new ReplicationConfigView(c.configId(), c.name(), c.sourceRegion(), c.destinationRegions(),
                        c.buckets(), c.prefixes(), c.mode(), c.encryptionAtRest(), c.status(), c.createdAt()))
                .toList());
    }

    @Operation(summary = "Get replication status", operationId = "getReplicationStatus",
            description = "Each configuration's health, lag and pending objects, measured from its copies, with the "
                    + "copies failing now and their errors. Needs storage:read.")
    @GetMapping("/status")
    @RequiredControls(scopes = StorageScopes.READ)
    ReplicationStatusView getReplicationStatus(Caller caller) {
        return new ReplicationStatusView(replication.status(TenantRequired.tenantOf(caller)).stream()
                .map(s -> new ReplicationConfigStatusView(s.config().configId(), s.config().name(), s.status(), s.lagSeconds(),
                        s.pendingObjects(), s.failingObjects(), s.failures().stream()
                        .map(f -> new ReplicationFailureView(f.objectId(), f.region(), f.attempts(), f.lastError(),
                                f.nextAttemptAt()))
                        .toList()))
                .toList());
    }

    @Operation(summary = "Get replication health", operationId = "getReplicationHealth",
            description = "Each region the tenant's configurations copy to: whether its volume takes writes, the "
                    + "mean copy time of the last hour and the last completed copy. Overall: critical when a region "
                    + "is unavailable, degraded when copies to one are failing, healthy otherwise. Needs "
                    + "storage:read.")
    @GetMapping("/health")
    @RequiredControls(scopes = StorageScopes.READ)
    ReplicationHealthView getReplicationHealth(Caller caller) {
        List<ReplicationManagement.RegionHealth> regions = replication.health(TenantRequired.tenantOf(caller));
        String overall = regions.stream().anyMatch(r -> r.status().equals("unavailable")) ? "critical"
                : regions.stream().anyMatch(r -> r.status().equals("degraded")) ? "degraded" : "healthy";
        return new ReplicationHealthView(overall, regions.stream().map(r -> new ReplicationRegionView(r.region(), r.status(),
                r.latencyMs(), r.lastSyncAt(), r.pendingObjects(), r.problem())).toList());
    }
}
