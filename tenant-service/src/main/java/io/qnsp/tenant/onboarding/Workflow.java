package io.qnsp.tenant.onboarding;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An onboarding workflow of a tenant (its owner), onboarding {@code targetTenantId}.
 *
 * @param status pending, running, paused, failed, completed or cancelled
 */
public record Workflow(String workflowId, String tenantId, String templateId, String targetTenantId,
                       Map<String, Object> parameters, String status, List<WorkflowStep> steps, String createdBy,
                       Instant createdAt, Instant updatedAt, @Nullable String statusReason) {

    /** The first step not yet done, if any. */
    @Nullable WorkflowStep nextStep() {
        return steps.stream().filter(step -> !step.done()).findFirst().orElse(null);
    }
}
