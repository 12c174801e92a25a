package io.qnsp.tenant.onboarding.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.tenant.TenantScopes;
import io.qnsp.tenant.onboarding.OnboardingWorkflows;
import io.qnsp.tenant.onboarding.Workflow;
import io.qnsp.tenant.onboarding.WorkflowStep;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
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

/** Onboarding workflows run by the caller's tenant (a platform operator's), each onboarding one new tenant. */
@Tag(name = "Onboarding workflows")
@RestController
@RequestMapping("/tenant/v1/onboarding/workflows")
class OnboardingController {

    record CreateWorkflowRequest(@Schema(description = "standard (create_tenant, confirm_limits, create_admin_client, "
            + "issue_api_key) or tenant-with-admin (the same without the API key)") @Nullable String templateId,
                                 @Schema(description = "the tenant to onboard") @Nullable String tenantId,
                                 @Schema(description = "tenantName, plan, addOns, quotas (limits by quota type), "
                                         + "adminScopes, apiKeyName, apiKeyScopes; each optional",
                                         additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
                                 @Nullable Map<String, Object> parameters) {
    }

    record WorkflowCreated(String workflowId, @Schema(allowableValues = "pending") String status, String templateId,
                           String tenantId, List<WorkflowStep> steps, Instant createdAt) {
    }

    record ActionRequest(@Schema(allowableValues = {"start", "pause", "resume", "cancel"}) @Nullable String action,
                         @Nullable String reason) {
    }

    record ActionResult(String workflowId,
                        @Schema(allowableValues = {"pending", "running", "paused", "failed", "completed",
                                "cancelled"}) String status,
                        Instant updatedAt, List<WorkflowStep> steps) {
    }

    record WorkflowView(String workflowId, String templateId, String tenantId,
                        @Schema(allowableValues = {"pending", "running", "paused", "failed", "completed",
                                "cancelled"}) String status,
                        @Nullable String statusReason, List<WorkflowStep> steps,
                        @Schema(additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
                        Map<String, Object> parameters,
                        String createdBy, Instant createdAt, Instant updatedAt,
                        @Schema(description = "secrets the steps produced (adminClientId, adminClientSecret, apiKey), "
                                + "shown to the first read once the workflow is no longer pending or running, and "
                                + "never again; they are not stored") Map<String, String> secrets) {
    }

    private final OnboardingWorkflows workflows;

    OnboardingController(OnboardingWorkflows workflows) {
        this.workflows = workflows;
    }

    @Operation(summary = "Create onboarding workflow", operationId = "createOnboardingWorkflow",
            description = "A pending workflow from the template; 'start' runs it. Its calls to auth-service need the "
                    + "platform_admin role of whoever starts it. Needs tenant:write; counts against the "
                    + "tenant.onboarding_workflows quota.")
    @FailureResponse(status = 409, description = "a workflow onboarding this tenant exists already")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = TenantScopes.WRITE, quota = "tenant.onboarding_workflows",
            audit = "tenant.onboarding_workflow.created", resourceType = "onboarding_workflow",
            resourceId = "#result.workflowId")
    WorkflowCreated create(Caller caller, @RequestBody CreateWorkflowRequest request) {
        Workflow workflow = workflows.create(TenantRequired.tenantOf(caller), caller.principal(), request.templateId(),
                request.tenantId(), request.parameters());
        return new WorkflowCreated(workflow.workflowId(), workflow.status(), workflow.templateId(),
                workflow.targetTenantId(), workflow.steps(), workflow.createdAt());
    }

    @Operation(summary = "Execute workflow action", operationId = "actOnOnboardingWorkflow",
            description = "start (pending), pause (running: after the step in progress), resume (paused, or failed: "
                    + "retries the failed step), cancel (any but completed and cancelled). start and resume act with "
                    + "the caller's bearer token. Needs tenant:write.")
    @FailureResponse(status = 404, description = "no workflow of that id in the caller's tenant")
    @FailureResponse(status = 409, description = "the action does not apply to the workflow's status")
    @PostMapping("/{workflowId}/action")
    @RequiredControls(scopes = TenantScopes.WRITE, audit = "tenant.onboarding_workflow.action",
            resourceType = "onboarding_workflow", resourceId = "#workflowId",
            auditDetails = "{'action': #request?.action()}")
    ActionResult act(Caller caller, @PathVariable String workflowId, @RequestBody ActionRequest request,
                     HttpServletRequest http) {
        String authorization = http.getHeader(HttpHeaders.AUTHORIZATION);
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        Workflow workflow = workflows.act(TenantRequired.tenantOf(caller), workflowId, request.action(),
                request.reason(), token);
        return new ActionResult(workflow.workflowId(), workflow.status(), workflow.updatedAt(), workflow.steps());
    }

    @Operation(summary = "Get an onboarding workflow with its steps", operationId = "getOnboardingWorkflow",
            description = "Each step's status, attempts, output and, when it failed, its error. Needs tenant:read.")
    @FailureResponse(status = 404, description = "no workflow of that id in the caller's tenant")
    @GetMapping("/{workflowId}")
    @RequiredControls(scopes = TenantScopes.READ, audit = "tenant.onboarding_workflow.read",
            resourceType = "onboarding_workflow", resourceId = "#workflowId")
    WorkflowView workflow(Caller caller, @PathVariable String workflowId) {
        String tenant = TenantRequired.tenantOf(caller);
        Workflow workflow = workflows.workflow(tenant, workflowId);
        return new WorkflowView(workflow.workflowId(), workflow.templateId(), workflow.targetTenantId(),
                workflow.status(), workflow.statusReason(), workflow.steps(), workflow.parameters(),
                workflow.createdBy(), workflow.createdAt(), workflow.updatedAt(),
                workflows.revealSecrets(workflow));
    }
}
