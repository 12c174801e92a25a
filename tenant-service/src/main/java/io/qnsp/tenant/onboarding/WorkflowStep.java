package io.qnsp.tenant.onboarding;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;

/**
 * One step of a workflow as it stands.
 *
 * @param name     create_tenant, confirm_limits, create_admin_client or issue_api_key
 * @param status   pending, running, completed, failed or skipped (the workflow was cancelled first)
 * @param attempts how many times it was tried
 * @param error    why its last attempt failed, while it is failed
 * @param output   what it produced that is not secret (ids, prefixes)
 */
public record WorkflowStep(String name, String title, String status, int attempts, @Nullable Instant startedAt,
                           @Nullable Instant completedAt, @Nullable String error, Map<String, String> output) {

    static WorkflowStep pending(StepKind kind) {
        return new WorkflowStep(kind.id(), kind.title(), "pending", 0, null, null, null, Map.of());
    }

    WorkflowStep running(Instant at) {
        return new WorkflowStep(name, title, "running", attempts + 1, at, null, null, Map.of());
    }

    WorkflowStep completed(Instant at, Map<String, String> produced) {
        return new WorkflowStep(name, title, "completed", attempts, startedAt, at, null, Map.copyOf(produced));
    }

    WorkflowStep failed(Instant at, String why) {
        return new WorkflowStep(name, title, "failed", attempts, startedAt, at, why, Map.of());
    }

    WorkflowStep skipped() {
        return new WorkflowStep(name, title, "skipped", attempts, startedAt, null, null, Map.of());
    }

    boolean done() {
        return status.equals("completed") || status.equals("skipped");
    }
}
