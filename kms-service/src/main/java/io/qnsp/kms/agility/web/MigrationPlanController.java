package io.qnsp.kms.agility.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.kms.KmsScopes;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.kms.agility.MigrationPlan;
import io.qnsp.kms.agility.MigrationPlanManagement;
import io.qnsp.kms.agility.MigrationPlanManagement.PlanDetails;
import io.qnsp.kms.agility.PlanStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Migration plans: create (as a draft), list, read with progress, and update (name, description, schedule, and
 * status along draft → active ↔ paused → completed | cancelled). Reading needs {@code kms:read}, changing
 * {@code kms:write}.
 */
@Tag(name = "Crypto agility")
@RestController
@RequestMapping("/kms/v1/crypto-agility/migration-plans")
class MigrationPlanController {

    record CreateMigrationPlanRequest(@Nullable String name, @Nullable String description,
                                      MigrationPlan.@Nullable PlanTargets targetAlgorithms,
                                      MigrationPlan.@Nullable PlanScope scope,
                                      MigrationPlan.@Nullable PlanSchedule schedule) {
    }

    record UpdateMigrationPlanRequest(@Nullable String name, @Nullable String description,
                                      @Schema(description = "active, paused, completed or cancelled; completed once "
                                              + "every key in scope is migrated") @Nullable String status,
                                      @Schema(description = "replaces the schedule")
                                      MigrationPlan.@Nullable PlanSchedule schedule) {
    }

    record MigrationPlanCreated(UUID planId, String name, PlanStatus status, Instant createdAt) {
    }

    record MigrationPlanSummary(UUID planId, String name, PlanStatus status,
                                @Schema(description = "keys migrated / keys in scope, 0 to 100") double progress,
                                Instant createdAt) {
    }

    record MigrationPlanList(List<MigrationPlanSummary> plans) {
    }

    record MigrationPlanProgress(@Schema(description = "keys in scope that still exist") long keysTotal,
                                 @Schema(description = "of those, the keys whose current version uses a target "
                                         + "algorithm") long keysMigrated,
                                 @Schema(description = "the scheduled phase of an active or paused plan; null "
                                         + "before its start, without phases, or when the plan is not under way")
                                 @Nullable String currentPhase) {
    }

    record MigrationPlanView(UUID planId, String name, @Nullable String description, PlanStatus status,
                             MigrationPlan.PlanTargets targetAlgorithms, MigrationPlan.PlanScope scope,
                             MigrationPlan.@Nullable PlanSchedule schedule, MigrationPlanProgress progress,
                             Instant createdAt, Instant updatedAt) {

        static MigrationPlanView of(PlanDetails details) {
            MigrationPlan plan = details.plan();
            return new MigrationPlanView(plan.planId(), plan.name(), plan.description(), plan.status(),
                    plan.targetAlgorithms(), plan.scope(), plan.schedule(),
                    new MigrationPlanProgress(details.progress().keysTotal(), details.progress().keysMigrated(),
                            details.progress().currentPhase()), plan.createdAt(), plan.updatedAt());
        }
    }

    record MigrationPlanUpdated(UUID planId, Instant updatedAt) {
    }

    private final MigrationPlanManagement plans;

    MigrationPlanController(MigrationPlanManagement plans) {
        this.plans = plans;
    }

    @Operation(summary = "Create a migration plan", operationId = "agilityCreateMigrationPlan",
            description = "The plan starts as a draft. Its scope is the keys named and every key that has or had "
                    + "a version of one of the key types; its targets are quantum-resistant algorithms. Needs "
                    + "kms:write.")
    @ApiResponse(responseCode = "201", description = "The plan was created",
            headers = @Header(name = "Location", description = "The new plan's URL",
                    schema = @Schema(type = "string", format = "uri")))
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = KmsScopes.WRITE, audit = "kms.agility.plan.created", resourceType = "migration_plan",
            resourceId = "#result.planId")
    ResponseEntity<MigrationPlanCreated> agilityCreateMigrationPlan(Caller caller,
                                                                    @RequestBody CreateMigrationPlanRequest request) {
        MigrationPlan plan = plans.create(TenantRequired.tenantOf(caller), request.name(), request.description(),
                request.targetAlgorithms(), request.scope(), request.schedule());
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                        .buildAndExpand(plan.planId()).toUri())
                .body(new MigrationPlanCreated(plan.planId(), plan.name(), plan.status(), plan.createdAt()));
    }

    @Operation(summary = "List the migration plans, newest first", operationId = "agilityListMigrationPlans",
            description = "Each with its progress now. Needs kms:read.")
    @GetMapping
    @RequiredControls(scopes = KmsScopes.READ, audit = "kms.agility.plans.listed", resourceType = "migration_plan")
    MigrationPlanList agilityListMigrationPlans(Caller caller) {
        return new MigrationPlanList(plans.list(TenantRequired.tenantOf(caller)).stream()
                .map(details -> new MigrationPlanSummary(details.plan().planId(), details.plan().name(),
                        details.plan().status(), details.progress().percent(), details.plan().createdAt()))
                .toList());
    }

    @Operation(summary = "Get a migration plan with its progress", operationId = "agilityGetMigrationPlan",
            description = "Needs kms:read.")
    @GetMapping("/{planId}")
    @RequiredControls(scopes = KmsScopes.READ, audit = "kms.agility.plan.read", resourceType = "migration_plan",
            resourceId = "#planId")
    MigrationPlanView agilityGetMigrationPlan(Caller caller, @PathVariable String planId) {
        return MigrationPlanView.of(plans.get(TenantRequired.tenantOf(caller), planId));
    }

    @Operation(summary = "Update a migration plan", operationId = "agilityUpdateMigrationPlan",
            description = "Changes the fields given. A status change follows draft → active ↔ paused → completed "
                    + "| cancelled (a draft may be cancelled too); completed needs every key in scope migrated. "
                    + "Needs kms:write.")
    @FailureResponse(status = 409, description = "The plan's status does not allow the change: an illegal "
            + "transition, a closed plan, or a completion while keys are not migrated")
    @PatchMapping("/{planId}")
    @RequiredControls(scopes = KmsScopes.WRITE, audit = "kms.agility.plan.updated", resourceType = "migration_plan",
            resourceId = "#planId")
    MigrationPlanUpdated agilityUpdateMigrationPlan(Caller caller, @PathVariable String planId,
                                                    @RequestBody UpdateMigrationPlanRequest request) {
        MigrationPlan plan = plans.update(TenantRequired.tenantOf(caller), planId, request.name(),
                request.description(), request.status(), request.schedule());
        return new MigrationPlanUpdated(plan.planId(), plan.updatedAt());
    }
}
