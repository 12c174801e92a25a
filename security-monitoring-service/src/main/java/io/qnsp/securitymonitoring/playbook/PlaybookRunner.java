package io.qnsp.securitymonitoring.playbook;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs an execution's actions in order, after the transaction that created it committed, logging one step per
 * action and target. A dry run acts on nothing and logs what each step would do. A step that fails is logged and the
 * others still run; the execution ends completed when every step succeeded, failed otherwise.
 */
@Component
class PlaybookRunner implements DisposableBean {

    /** Where the bearer token an execution acts with comes from (the caller's, or the responder client's). */
    interface TokenSource {
        String token() throws ResponseActions.ActionFailed;
    }

    private static final Logger log = LoggerFactory.getLogger(PlaybookRunner.class);

    private final Playbooks playbooks;
    private final ResponseActions actions;
    private final Clock clock;
    private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();

    PlaybookRunner(Playbooks playbooks, ResponseActions actions, Clock clock) {
        this.playbooks = playbooks;
        this.actions = actions;
        this.clock = clock;
    }

    /** Starts the run once the current transaction (if any) committed. */
    void startAfterCommit(Execution execution, Playbook playbook, TokenSource token) {
        Runnable run = () -> runs.execute(() -> run(execution, playbook, token));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    run.run();
                }
            });
        } else {
            run.run();
        }
    }

    void run(Execution execution, Playbook playbook, TokenSource tokens) {
        try {
            boolean failed = false;
            int step = 0;
            String token = null;
            for (Playbook.Action action : playbook.actions()) {
                List<String> targets = targets(action, execution);
                if (targets.isEmpty()) {
                    log(execution, ++step, action.type(), null, "failed", "no target: the action names none in "
                            + "its parameters and the execution's context has no targetResources");
                    failed = true;
                    continue;
                }
                for (String target : targets) {
                    step++;
                    if (execution.dryRun()) {
                        log(execution, step, action.type(), target, "dry_run", "would " + describe(action, target));
                        continue;
                    }
                    try {
                        if (needsToken(action.type()) && token == null) {
                            token = tokens.token();
                        }
                        log(execution, step, action.type(), target, "succeeded",
                                perform(action, target, token, execution, playbook));
                    } catch (ResponseActions.ActionFailed e) {
                        log(execution, step, action.type(), target, "failed", e.getMessage());
                        failed = true;
                    }
                }
            }
            playbooks.changeStatus(execution.executionId(), Execution.RUNNING,
                    failed ? Execution.FAILED : Execution.COMPLETED, clock.instant());
        } catch (RuntimeException e) {
            log.warn("execution {} of playbook {} stopped: {}", execution.executionId(), playbook.playbookId(),
                    e.toString());
            playbooks.changeStatus(execution.executionId(), Execution.RUNNING, Execution.FAILED, clock.instant());
        }
    }

    private void log(Execution execution, int step, String type, @Nullable String target, String outcome,
                     String detail) {
        playbooks.insert(execution.executionId(), new Execution.Step(step, type, target, outcome, detail,
                clock.instant()));
    }

    static boolean needsToken(String type) {
        return switch (type) {
            case "block", "isolate", "rotate" -> true;
            default -> false;
        };
    }

    /** The action's own target (parameters.keyId, secretId or url), else the execution's target resources. */
    static List<String> targets(Playbook.Action action, Execution execution) {
        String named = switch (action.type()) {
            case "block", "isolate" -> text(action.parameters().get("keyId"));
            case "rotate" -> text(action.parameters().get("secretId"));
            default -> text(action.parameters().get("url"));
        };
        if (named != null) {
            return List.of(named);
        }
        return switch (action.type()) {
            case "notify", "webhook" -> List.of();
            default -> new ArrayList<>(execution.targetResources());
        };
    }

    static String describe(Playbook.Action action, String target) {
        return switch (action.type()) {
            case "block" -> "revoke API key " + target + " at " + ResponseActions.AUTH;
            case "isolate" -> "disable key " + target + " at " + ResponseActions.KMS;
            case "rotate" -> "deprecate version " + action.parameters().get("version") + " of secret " + target
                    + " at " + ResponseActions.VAULT;
            default -> "POST the incident to " + target;
        };
    }

    private String perform(Playbook.Action action, String target, @Nullable String token, Execution execution,
                           Playbook playbook) throws ResponseActions.ActionFailed {
        return switch (action.type()) {
            case "block" -> actions.revokeApiKey(token, target);
            case "isolate" -> actions.disableKmsKey(token, target);
            case "rotate" -> actions.deprecateSecretVersion(token, target,
                    ((Number) action.parameters().get("version")).intValue(),
                    "playbook " + playbook.name() + ", execution " + execution.executionId());
            default -> actions.postIncident(target, incident(action, execution, playbook));
        };
    }

    private static Map<String, Object> incident(Playbook.Action action, Execution execution, Playbook playbook) {
        Map<String, Object> incident = new LinkedHashMap<>();
        incident.put("type", action.type());
        incident.put("playbookId", playbook.playbookId().toString());
        incident.put("playbookName", playbook.name());
        incident.put("executionId", execution.executionId().toString());
        incident.put("tenantId", execution.tenantId());
        incident.put("incidentId", execution.incidentId());
        incident.put("targetResources", execution.targetResources());
        incident.put("startedBy", execution.startedBy());
        Object message = action.parameters().get("message");
        if (message != null) {
            incident.put("message", message.toString());
        }
        return incident;
    }

    private static @Nullable String text(@Nullable Object value) {
        return value instanceof String s && !s.isBlank() ? s.strip() : null;
    }

    @Override
    public void destroy() {
        runs.shutdownNow();
    }
}
