package io.qnsp.storage.classification.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.storage.StorageScopes;
import io.qnsp.storage.classification.ClassificationManagement;
import io.qnsp.storage.classification.ClassificationPolicy;
import io.qnsp.storage.classification.ObjectLabels;
import io.qnsp.storage.classification.Scan;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Data classification: policies of rules scanned over object content, scans that label objects, and statistics
 * counted from the labels. Policies and scans need {@code storage:govern}, reading {@code storage:read}.
 */
@Tag(name = "Data classification")
@RestController
@RequestMapping("/storage/v1/classification")
class ClassificationController {

    record ClassificationRuleRequest(@Schema(description = "a regular expression (RE2 syntax: no backreferences or lookaround), "
            + "counted over the content; give it or a detector") @Nullable String pattern,
                       @Schema(description = "a built-in rule instead of a pattern: email, credit_card (Luhn-checked),"
                               + " iban (check digits), national_id (US SSN, UK NINO) or phi_keywords")
                       @Nullable String detector,
                       @Schema(description = "public, internal, confidential or restricted") @Nullable
                       String classification,
                       @Schema(description = "pii, phi, pci or custom; the detector's own (or custom for a pattern)"
                               + " when left out") @Nullable List<String> dataTypes) {
    }

    record CreateClassificationPolicyRequest(@Nullable String name, @Nullable String description,
                               @Nullable List<ClassificationRuleRequest> rules,
                               @Schema(description = "scan every object uploaded from now on with this policy")
                               @Nullable Boolean autoApply) {
    }

    record ClassificationPolicyCreated(UUID policyId, String name, Instant createdAt) {
    }

    record ClassificationPolicySummary(UUID policyId, String name, int ruleCount, boolean autoApply) {
    }

    record ClassificationPolicyList(List<ClassificationPolicySummary> policies) {
    }

    record ClassificationScanScope(@Schema(description = "bucket names; every bucket when left out") @Nullable List<String> buckets,
                     @Schema(description = "key prefixes; every key when left out") @Nullable List<String> prefixes) {
    }

    record StartClassificationScanRequest(@Nullable ClassificationScanScope scope,
                            @Schema(description = "the policies to scan with; all the tenant's when left out")
                            @Nullable List<String> policyIds) {
    }

    record ClassificationScanQueued(UUID scanId, @Schema(allowableValues = "queued") String status, Instant estimatedCompletionAt) {
    }

    record ClassificationScanView(UUID scanId, @Schema(description = "queued, running or completed") String status,
                    @Schema(description = "manual, or auto for an upload under an auto-applied policy") String trigger,
                    List<UUID> policyIds, int objectsTotal, int objectsScanned, int objectsLabelled,
                    int objectsFailed, @Schema(description = "deleted or rewritten since the scan was queued")
                    int objectsSkipped, long bytesTotal, long bytesScanned,
                    @Schema(description = "objects scanned, skipped or failed out of the total, 0 to 100")
                    int progressPercent, Instant createdAt, Instant estimatedCompletionAt,
                    @Nullable Instant startedAt, @Nullable Instant completedAt) {
    }

    record ClassificationStats(long totalObjects, long classifiedObjects,
                 @Schema(description = "objects by their highest label") Map<String, Long> byClassification,
                 @Schema(description = "objects with each data type among their labels")
                 Map<String, Long> byDataType) {
    }

    private final ClassificationManagement classification;

    ClassificationController(ClassificationManagement classification) {
        this.classification = classification;
    }

    @Operation(summary = "Create a data classification policy", operationId = "createClassificationPolicy",
            description = "Rules are scanned over object content (up to qnsp.storage.classification.max-scanned-bytes "
                    + "of each object): each a regular expression or a built-in detector, with the classification an "
                    + "object gets when the rule matches and the data types it means. Needs storage:govern.")
    @ApiResponse(responseCode = "201", description = "The policy was created")
    @FailureResponse(status = 409, description = "The tenant already has a classification policy of this name")
    @PostMapping("/policies")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = StorageScopes.GOVERN, audit = "storage.classification_policy.created",
            resourceType = "classification_policy", resourceId = "#result.policyId")
    ClassificationPolicyCreated createClassificationPolicy(Caller caller, @RequestBody CreateClassificationPolicyRequest request) {
        List<ClassificationManagement.RuleInput> rules = request.rules() == null ? null : request.rules().stream()
                .map(r -> r == null ? null : new ClassificationManagement.RuleInput(r.detector(), r.pattern(),
                        r.classification(), r.dataTypes()))
                .toList();
        ClassificationPolicy policy = classification.createPolicy(TenantRequired.tenantOf(caller), request.name(),
                request.description(), rules, request.autoApply(), caller.principal());
        return new ClassificationPolicyCreated(policy.policyId(), policy.name(), policy.createdAt());
    }

    @Operation(summary = "List data classification policies, oldest first", operationId = "listClassificationPolicies",
            description = "Needs storage:read.")
    @GetMapping("/policies")
    @RequiredControls(scopes = StorageScopes.READ)
    ClassificationPolicyList listClassificationPolicies(Caller caller) {
        return new ClassificationPolicyList(classification.policies(TenantRequired.tenantOf(caller)).stream()
                .map(p -> new ClassificationPolicySummary(p.policyId(), p.name(), p.rules().size(), p.autoApply())).toList());
    }

    @Operation(summary = "Trigger a classification scan", operationId = "startClassificationScan",
            description = "Queues a scan of the objects in scope (now) with the policies named; it runs "
                    + "asynchronously, labels each object, and reports its progress at GET /scans/{scanId}. The "
                    + "estimate counts the bytes queued ahead at the throughput scans have shown lately. Needs "
                    + "storage:govern.")
    @ApiResponse(responseCode = "202", description = "The scan is queued")
    @PostMapping("/scans")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiredControls(scopes = StorageScopes.GOVERN, audit = "storage.classification_scan.started",
            resourceType = "classification_scan", resourceId = "#result.scanId")
    ClassificationScanQueued startClassificationScan(Caller caller, @RequestBody StartClassificationScanRequest request) {
        ClassificationScanScope scope = request.scope();
        Scan scan = classification.startScan(TenantRequired.tenantOf(caller), scope == null ? null : scope.buckets(),
                scope == null ? null : scope.prefixes(), request.policyIds(), caller.principal());
        return new ClassificationScanQueued(scan.scanId(), scan.status(), scan.estimatedCompletionAt());
    }

    @Operation(summary = "Get a classification scan's progress", operationId = "getClassificationScan",
            description = "Needs storage:read.")
    @GetMapping("/scans/{scanId}")
    @RequiredControls(scopes = StorageScopes.READ)
    ClassificationScanView getClassificationScan(Caller caller, @PathVariable String scanId) {
        Scan s = classification.scan(TenantRequired.tenantOf(caller), scanId);
        return new ClassificationScanView(s.scanId(), s.status(), s.trigger(), s.policyIds(), s.objectsTotal(), s.objectsScanned(),
                s.objectsLabelled(), s.objectsFailed(), s.objectsSkipped(), s.bytesTotal(), s.bytesScanned(),
                s.progressPercent(), s.createdAt(), s.estimatedCompletionAt(), s.startedAt(), s.completedAt());
    }

    @Operation(summary = "Get classification statistics", operationId = "getClassificationStats",
            description = "Counted from the labels of the objects' current content: objects with a classification, "
                    + "by their highest one, and by each data type found. Needs storage:read.")
    @GetMapping("/stats")
    @RequiredControls(scopes = StorageScopes.READ)
    ClassificationStats getClassificationStats(Caller caller) {
        ObjectLabels.Stats stats = classification.stats(TenantRequired.tenantOf(caller));
        return new ClassificationStats(stats.totalObjects(), stats.classifiedObjects(), stats.byClassification(),
                stats.byDataType());
    }
}
