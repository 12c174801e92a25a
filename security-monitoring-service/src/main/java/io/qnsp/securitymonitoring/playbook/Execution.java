package io.qnsp.securitymonitoring.playbook;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One run of a playbook.
 *
 * @param startedBy the caller's principal, or {@code trigger:<audit event id>} for a run a trigger started
 * @param status    pending_approval, running, completed or failed
 */
public record Execution(UUID executionId, String tenantId, UUID playbookId, @Nullable String incidentId,
                        List<String> targetResources, String startedBy, boolean dryRun, String status,
                        Instant startedAt, @Nullable Instant finishedAt) {

    public static final String PENDING_APPROVAL = "pending_approval";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    /** One logged step: an action on one target, and what came of it (succeeded, failed, dry_run). */
    public record Step(int step, String actionType, @Nullable String target, String outcome, String detail,
                       Instant recordedAt) {
    }
}
