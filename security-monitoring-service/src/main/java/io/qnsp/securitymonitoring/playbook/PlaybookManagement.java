package io.qnsp.securitymonitoring.playbook;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The tenant's playbooks: creation, executions started by a caller, approvals, and the step logs. */
@Service
public class PlaybookManagement {

    private final Playbooks playbooks;
    private final PlaybookRunner runner;
    private final ResponderSecrets secrets;
    private final Clock clock;

    PlaybookManagement(Playbooks playbooks, PlaybookRunner runner, ResponderSecrets secrets, Clock clock) {
        this.playbooks = playbooks;
        this.runner = runner;
        this.secrets = secrets;
        this.clock = clock;
    }

    public record NewPlaybook(String name, @Nullable String description, Playbook.Trigger trigger,
                              List<Playbook.Action> actions, boolean enabled, boolean dryRun,
                              @Nullable String responderClientId, @Nullable String responderClientSecret) {

        @Override
        public String toString() {
            return "NewPlaybook[name=" + name + ", responderClientId=" + responderClientId + "]";
        }
    }

    public Playbook create(String tenantId, NewPlaybook p) {
        byte[] sealed = p.responderClientSecret() == null ? null : secrets.seal(p.responderClientSecret());
        Playbook playbook = new Playbook(UUID.randomUUID(), tenantId, p.name(), p.description(), p.trigger(),
                p.actions(), p.enabled(), p.dryRun(), p.responderClientId(), sealed, clock.instant());
        if (!playbooks.insert(playbook)) {
            throw new PlaybookConflict("the tenant already has a playbook named " + p.name(), "name", p.name());
        }
        return playbook;
    }

    /**
     * Starts an execution of the tenant's playbook, acting with the caller's own token: pending approval when an
     * action requires it, else running (its steps run once the request's transaction committed).
     */
    @Transactional
    public Execution execute(String tenantId, String principal, String playbookId, @Nullable String incidentId,
                             List<String> targetResources, boolean dryRun, String callerToken) {
        Playbook playbook = playbook(tenantId, playbookId);
        Execution execution = new Execution(UUID.randomUUID(), tenantId, playbook.playbookId(), incidentId,
                targetResources, principal, dryRun,
                playbook.needsApproval() ? Execution.PENDING_APPROVAL : Execution.RUNNING, clock.instant(), null);
        playbooks.insert(execution);
        if (execution.status().equals(Execution.RUNNING)) {
            runner.startAfterCommit(execution, playbook, () -> callerToken);
        }
        return execution;
    }

    /** Approves an execution waiting for approval: it runs with the approver's token. */
    @Transactional
    public Execution approve(String tenantId, String executionId, String approverToken) {
        Execution execution = execution(tenantId, executionId);
        if (!playbooks.changeStatus(execution.executionId(), Execution.PENDING_APPROVAL, Execution.RUNNING, null)) {
            throw new PlaybookConflict("execution " + executionId + " is not waiting for approval (it is "
                    + execution.status() + ")", "status", execution.status());
        }
        Playbook playbook = playbooks.find(tenantId, execution.playbookId())
                .orElseThrow(() -> new PlaybookNotFound("playbook", execution.playbookId().toString()));
        Execution running = new Execution(execution.executionId(), tenantId, execution.playbookId(),
                execution.incidentId(), execution.targetResources(), execution.startedBy(), execution.dryRun(),
                Execution.RUNNING, execution.startedAt(), null);
        runner.startAfterCommit(running, playbook, () -> approverToken);
        return running;
    }

    public record ExecutionLog(Execution execution, List<Execution.Step> steps) {
    }

    public ExecutionLog log(String tenantId, String executionId) {
        Execution execution = execution(tenantId, executionId);
        return new ExecutionLog(execution, playbooks.steps(execution.executionId()));
    }

    public List<Playbook> playbooks(String tenantId) {
        return playbooks.all(tenantId);
    }

    private Playbook playbook(String tenantId, String playbookId) {
        UUID id = parse(playbookId);
        return Optional.ofNullable(id).flatMap(known -> playbooks.find(tenantId, known))
                .orElseThrow(() -> new PlaybookNotFound("playbook", playbookId));
    }

    private Execution execution(String tenantId, String executionId) {
        UUID id = parse(executionId);
        return Optional.ofNullable(id).flatMap(known -> playbooks.findExecution(tenantId, known))
                .orElseThrow(() -> new PlaybookNotFound("execution", executionId));
    }

    static @Nullable UUID parse(@Nullable String id) {
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
