package io.qnsp.audit.retention.web;

import io.qnsp.audit.retention.CleanupReport;
import io.qnsp.audit.retention.RetentionManagement;
import io.qnsp.audit.retention.RetentionMetrics;
import io.qnsp.audit.retention.RetentionPreview;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Applying retention policies (spec 002 "Retention Management"): preview, cleanup (dry or real) and metrics, always
 * over the caller's tenant's events (every event for the platform admin token).
 */
@Tag(name = "Retention")
@RestController
@RequestMapping("/v1/retention")
class RetentionController {

    record PreviewRequest(String policyId) {
    }

    record CleanupRequest(String policyId, Boolean dryRun) {
    }

    private final RetentionManagement management;

    RetentionController(RetentionManagement management) {
        this.management = management;
    }

    @Operation(summary = "Preview what a cleanup of the policy would remove now", operationId = "previewRetention",
            description = "sizeBytes is the sum of PostgreSQL's pg_column_size of the rows. Needs audit:retention.")
    @FailureResponse(status = 404, description = "The caller has no policy with this policyId")
    @PostMapping("/preview")
    @RequiredControls(scopes = RetentionScopes.RETENTION)
    RetentionPreview preview(Caller caller, @RequestBody PreviewRequest request) {
        return management.preview(RequestOwners.of(caller), request.policyId());
    }

    @Operation(summary = "Run a retention cleanup", operationId = "runRetentionCleanup",
            description = "dryRun is required: true only reports what would happen; false archives (when the "
            + "policy says so) and then deletes the covered events. Needs "
            + "audit:retention and the admin role.")
    @FailureResponse(status = 404, description = "The caller has no policy with this policyId")
    @FailureResponse(status = 503, description = "The archive could not be written; no event was deleted")
    @PostMapping("/cleanup")
    @RequiredControls(scopes = RetentionScopes.RETENTION, admin = true, audit = "audit.retention.cleanup",
            resourceType = "retention_policy", resourceId = "#request?.policyId",
            metering = "audit.retention_cleanup")
    CleanupReport cleanup(Caller caller, @RequestBody CleanupRequest request) {
        if (request.policyId() == null || request.policyId().isBlank()) {
            throw new InvalidField("policyId", "is required");
        }
        if (request.dryRun() == null) {
            throw new InvalidField("dryRun", "is required: true to only report, false to delete");
        }
        return management.cleanup(RequestOwners.of(caller), request.policyId(), request.dryRun());
    }

    @Operation(summary = "Retention metrics", operationId = "getRetentionMetrics",
            description = "Stored events by age and what cleanups reclaimed. Needs audit:retention.")
    @GetMapping("/metrics")
    @RequiredControls(scopes = RetentionScopes.RETENTION)
    RetentionMetrics metrics(Caller caller) {
        return management.metrics(RequestOwners.of(caller));
    }
}
