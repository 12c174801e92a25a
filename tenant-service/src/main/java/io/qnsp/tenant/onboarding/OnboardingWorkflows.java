package io.qnsp.tenant.onboarding;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.ids.Ulids;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Onboarding workflows: created from a template as {@code pending}; {@code start} runs their steps one after another
 * in the background, each a real call to auth-service or the API keys, made with the bearer token of the caller who
 * started or resumed the workflow. That token, the administrator client's secret and the first API key are held in
 * memory only, never stored; the secrets are handed out once ({@link #revealSecrets(Workflow)}). {@code pause}
 * stops the run after the step in progress, {@code resume} continues it (and retries a failed step), {@code cancel}
 * ends it and skips the steps not done. Every change of a workflow locks its row, so an action and its run never
 * overwrite each other.
 */
@Service
public class OnboardingWorkflows {

    private static final Logger log = LoggerFactory.getLogger(OnboardingWorkflows.class);
    static final Pattern TENANT_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{2,99}");
    static final List<String> ACTIONS = List.of("start", "pause", "resume", "cancel");

    private final Workflows workflows;
    private final PlatformCalls calls;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();
    /** The bearer token each running workflow acts with: the caller who last started or resumed it. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    /** Secrets produced by steps (client id and secret, API key), until their workflow's tenant reads them once. */
    private final Map<String, Map<String, String>> secrets = new ConcurrentHashMap<>();
    /** The administrator client's secret, for the run's later steps, until the workflow completes or is cancelled. */
    private final Map<String, String> clientSecrets = new ConcurrentHashMap<>();
    private final Map<String, Boolean> active = new ConcurrentHashMap<>();

    OnboardingWorkflows(Workflows workflows, PlatformCalls calls, Clock clock,
                        PlatformTransactionManager transactionManager) {
        this.workflows = workflows;
        this.calls = calls;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** The conflict of an action with a workflow's state, or of a second workflow for one tenant. */
    static final class WorkflowConflict extends ApiException {

        WorkflowConflict(String message, String field) {
            super(HttpStatus.CONFLICT, ErrorCodes.CONFLICT, message, Map.of("field", field));
        }
    }

    static final class WorkflowNotFound extends ApiException {

        WorkflowNotFound(String workflowId) {
            super(HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, "Onboarding workflow not found",
                    Map.of("workflowId", workflowId));
        }
    }

    public Workflow create(String ownerTenant, String by, @Nullable String templateId, @Nullable String tenantId,
                           @Nullable Map<String, Object> parameters) {
        if (templateId == null || templateId.isBlank()) {
            throw new InvalidField("templateId", "is required: one of " + StepKind.TEMPLATES.keySet());
        }
        List<StepKind> template = StepKind.TEMPLATES.get(templateId);
        if (template == null) {
            throw new InvalidField("templateId", "must be one of " + StepKind.TEMPLATES.keySet());
        }
        if (tenantId == null || !TENANT_ID.matcher(tenantId).matches()) {
            throw new InvalidField("tenantId", "must be 3 to 100 letters, digits, '.', '_' or '-', starting with a "
                    + "letter or digit");
        }
        OnboardingParameters checked = OnboardingParameters.parse(tenantId, parameters);
        if (workflows.onboarding(tenantId)) {
            throw new WorkflowConflict("A workflow onboarding this tenant exists already", "tenantId");
        }
        Instant now = clock.instant();
        Workflow workflow = new Workflow(Ulids.next("wf_", now), ownerTenant, templateId, tenantId, checked.asMap(),
                "pending", template.stream().map(WorkflowStep::pending).toList(), by, now, now, null);
        workflows.insert(workflow);
        return workflow;
    }

    public Workflow workflow(String ownerTenant, String workflowId) {
        return workflows.find(ownerTenant, workflowId).orElseThrow(() -> new WorkflowNotFound(workflowId));
    }

    /**
     * The secrets the workflow's steps produced, handed out once: to the first read of the workflow once it is no
     * longer pending or running.
     */
    public Map<String, String> revealSecrets(Workflow workflow) {
        if (workflow.status().equals("pending") || workflow.status().equals("running")) {
            return Map.of();
        }
        Map<String, String> revealed = secrets.remove(workflow.workflowId());
        return revealed == null ? Map.of() : new LinkedHashMap<>(revealed);
    }

    public Workflow act(String ownerTenant, String workflowId, @Nullable String action, @Nullable String reason,
                        @Nullable String bearerToken) {
        if (action == null || !ACTIONS.contains(action)) {
            throw new InvalidField("action", "must be one of " + String.join(", ", ACTIONS));
        }
        if (reason != null && reason.length() > 1000) {
            throw new InvalidField("reason", "must be at most 1000 characters");
        }
        boolean runs = action.equals("start") || action.equals("resume");
        if (runs && (bearerToken == null || bearerToken.isBlank())) {
            throw new WorkflowConflict("Starting a workflow needs a bearer token to act with", "action");
        }
        Workflow changed = transactions.execute(tx -> {
            Workflow workflow = workflows.lock(workflowId).filter(w -> w.tenantId().equals(ownerTenant))
                    .orElseThrow(() -> new WorkflowNotFound(workflowId));
            List<String> from = switch (action) {
                case "start" -> List.of("pending");
                case "pause" -> List.of("running");
                case "resume" -> List.of("paused", "failed");
                default -> List.of("pending", "running", "paused", "failed");
            };
            if (!from.contains(workflow.status())) {
                throw new WorkflowConflict("A " + workflow.status() + " workflow cannot be sent '" + action + "'",
                        "action");
            }
            String status = switch (action) {
                case "pause" -> "paused";
                case "cancel" -> "cancelled";
                default -> "running";
            };
            // a step in progress stays so: its run records the outcome, then stops
            List<WorkflowStep> steps = action.equals("cancel") ? skipRemaining(workflow.steps()) : workflow.steps();
            workflows.update(workflowId, status, steps, reason, clock.instant());
            return workflows.find(ownerTenant, workflowId).orElseThrow();
        });
        if (action.equals("cancel") && !active.containsKey(workflowId)) {
            finish(workflowId);
        }
        if (runs) {
            tokens.put(workflowId, bearerToken);
            afterCommit(() -> launch(workflowId));
        }
        return changed;
    }

    private static List<WorkflowStep> skipRemaining(List<WorkflowStep> steps) {
        return steps.stream().map(step -> step.done() || step.status().equals("running") ? step : step.skipped())
                .toList();
    }

    private void afterCommit(Runnable task) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    task.run();
                }
            });
        } else {
            task.run();
        }
    }

    private void launch(String workflowId) {
        if (active.putIfAbsent(workflowId, Boolean.TRUE) != null) {
            return;
        }
        runs.submit(() -> {
            try {
                run(workflowId);
            } catch (RuntimeException e) {
                log.warn("Onboarding workflow {} stopped: {}", workflowId, e.toString());
                return;
            } finally {
                active.remove(workflowId);
            }
            // a resume that came while this run was ending found it still active: run again for it
            workflows.load(workflowId).filter(w -> w.status().equals("running") && tokens.containsKey(workflowId))
                    .ifPresent(w -> launch(workflowId));
        });
    }

    /** The step a run claimed: its index, and the workflow as it was then. */
    private record Claim(int index, Workflow workflow) {
    }

    /** Runs steps while the workflow is running; stops when it is paused, cancelled, failed or done. */
    private void run(String workflowId) {
        while (true) {
            Claim claim = transactions.execute(tx -> {
                Workflow workflow = workflows.lock(workflowId).orElseThrow();
                if (!workflow.status().equals("running")) {
                    return null;
                }
                WorkflowStep next = workflow.nextStep();
                if (next == null) {
                    workflows.update(workflowId, "completed", workflow.steps(), null, clock.instant());
                    return null;
                }
                int index = workflow.steps().indexOf(next);
                List<WorkflowStep> steps = new ArrayList<>(workflow.steps());
                steps.set(index, next.running(clock.instant()));
                workflows.update(workflowId, "running", steps, workflow.statusReason(), clock.instant());
                return new Claim(index, workflow);
            });
            if (claim == null) {
                stopped(workflowId);
                return;
            }
            WorkflowStep step = claim.workflow().steps().get(claim.index()).running(clock.instant());
            WorkflowStep outcome;
            try {
                Map<String, String> produced = perform(StepKind.of(step.name()), claim.workflow());
                outcome = step.completed(clock.instant(), produced);
            } catch (PlatformCalls.StepFailed e) {
                outcome = step.failed(clock.instant(), e.getMessage());
            } catch (RuntimeException e) {
                log.warn("Onboarding step {} of {} broke: {}", step.name(), workflowId, e.toString());
                outcome = step.failed(clock.instant(), "the step could not be performed ("
                        + e.getClass().getSimpleName() + ")");
            }
            WorkflowStep result = outcome;
            String status = transactions.execute(tx -> {
                Workflow now = workflows.lock(workflowId).orElseThrow();
                List<WorkflowStep> after = new ArrayList<>(now.steps());
                after.set(claim.index(), result);
                boolean failed = result.status().equals("failed");
                String next = switch (now.status()) {
                    case "running", "paused" -> failed ? "failed" : now.status();
                    default -> now.status();
                };
                if (next.equals("cancelled")) {
                    after = skipRemaining(after);
                }
                workflows.update(workflowId, next, after, failed && !next.equals("cancelled") ? result.error()
                        : now.statusReason(), clock.instant());
                return next;
            });
            if (!"running".equals(status)) {
                stopped(workflowId);
                return;
            }
        }
    }

    /** A run ended: a workflow that will not run again forgets its token and client secret. */
    private void stopped(String workflowId) {
        workflows.load(workflowId).filter(w -> w.status().equals("completed") || w.status().equals("cancelled"))
                .ifPresent(w -> finish(workflowId));
    }

    private void finish(String workflowId) {
        tokens.remove(workflowId);
        clientSecrets.remove(workflowId);
    }

    private Map<String, String> perform(StepKind kind, Workflow workflow) throws PlatformCalls.StepFailed {
        String token = tokens.get(workflow.workflowId());
        if (token == null) {
            throw new PlatformCalls.StepFailed("no token to act with: resume the workflow");
        }
        OnboardingParameters parameters = OnboardingParameters.parse(workflow.targetTenantId(),
                workflow.parameters());
        String tenantId = workflow.targetTenantId();
        Map<String, String> produced = new LinkedHashMap<>();
        switch (kind) {
            case CREATE_TENANT -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("id", tenantId);
                body.put("name", parameters.tenantName());
                body.put("plan", parameters.plan());
                body.put("addOns", parameters.addOns());
                body.put("quotas", parameters.quotas());
                JsonNode created = calls.createTenant(token, body);
                produced.put("tenantId", created.path("id").asString(tenantId));
            }
            case CONFIRM_LIMITS -> {
                JsonNode tenant = calls.tenant(token, tenantId);
                if (!parameters.plan().equals(tenant.path("plan").asString(null))) {
                    throw new PlatformCalls.StepFailed("the tenant's plan is '" + tenant.path("plan").asString("")
                            + "', not '" + parameters.plan() + "'");
                }
                for (Map.Entry<String, Long> limit : parameters.quotas().entrySet()) {
                    JsonNode set = tenant.path("quotas").path(limit.getKey());
                    if (!set.isNumber() || set.asLong() != limit.getValue()) {
                        throw new PlatformCalls.StepFailed("the tenant's limit of " + limit.getKey() + " is "
                                + (set.isNumber() ? set.asLong() : "not set") + ", not " + limit.getValue());
                    }
                }
                produced.put("plan", parameters.plan());
                produced.put("limits", String.valueOf(parameters.quotas().size()));
            }
            case CREATE_ADMIN_CLIENT -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", parameters.tenantName() + " administrator");
                body.put("scopes", parameters.adminScopes());
                body.put("roles", List.of("admin"));
                JsonNode client = calls.createClient(token, tenantId, body);
                String clientId = client.path("clientId").asString(null);
                String secret = client.path("clientSecret").asString(null);
                if (clientId == null || secret == null) {
                    throw new PlatformCalls.StepFailed("auth-service answered without a client id and secret");
                }
                Map<String, String> held = secrets.computeIfAbsent(workflow.workflowId(),
                        id -> new ConcurrentHashMap<>());
                held.put("adminClientId", clientId);
                held.put("adminClientSecret", secret);
                clientSecrets.put(workflow.workflowId(), secret);
                produced.put("clientId", clientId);
            }
            case ISSUE_API_KEY -> {
                String clientId = workflow.steps().stream()
                        .filter(step -> step.name().equals(StepKind.CREATE_ADMIN_CLIENT.id()))
                        .map(step -> step.output().get("clientId")).findFirst().orElse(null);
                String secret = clientSecrets.get(workflow.workflowId());
                if (clientId == null || secret == null) {
                    throw new PlatformCalls.StepFailed("the administrator client's secret is no longer held (it is "
                            + "kept in memory only); register a new client");
                }
                String tenantToken = calls.clientToken(clientId, secret);
                String tokenTenant = tenantOf(tenantToken);
                if (tokenTenant != null && !tokenTenant.equals(tenantId)) {
                    throw new PlatformCalls.StepFailed("the administrator client's token is of tenant '" + tokenTenant
                            + "', not '" + tenantId + "'");
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", parameters.apiKeyName());
                body.put("scopes", parameters.apiKeyScopes());
                // DataHub answers in its envelope: {"success": true, "data": {the key}}
                JsonNode key = calls.createApiKey(tenantToken, body).path("data");
                String apiKey = key.path("apiKey").asString(null);
                if (apiKey != null) {
                    secrets.computeIfAbsent(workflow.workflowId(), id -> new ConcurrentHashMap<>())
                            .put("apiKey", apiKey);
                }
                produced.put("tokenTenant", tokenTenant == null ? tenantId : tokenTenant);
                produced.put("apiKeyId", key.path("id").asString(""));
                produced.put("keyPrefix", key.path("keyPrefix").asString(""));
            }
        }
        return produced;
    }

    /** The tenant_id claim of a JWT's payload, read without verifying it (the issuer is the one just called). */
    private static @Nullable String tenantOf(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            return tools.jackson.databind.json.JsonMapper.shared().readTree(payload).path("tenant_id").asString(null);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
