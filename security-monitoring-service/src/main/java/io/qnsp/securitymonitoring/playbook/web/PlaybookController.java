package io.qnsp.securitymonitoring.playbook.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.securitymonitoring.CallerToken;
import io.qnsp.securitymonitoring.Inputs;
import io.qnsp.securitymonitoring.SecurityScopes;
import io.qnsp.securitymonitoring.playbook.Execution;
import io.qnsp.securitymonitoring.playbook.Playbook;
import io.qnsp.securitymonitoring.playbook.PlaybookManagement;
import io.qnsp.securitymonitoring.playbook.TriggerFilters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
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

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.qnsp.securitymonitoring.Inputs.list;

/** Automated response playbooks: creation, execution (by a caller or a trigger), approval and the step log. */
@Tag(name = "Automated Response Playbooks")
@RestController
@RequestMapping("/security/v1/playbooks")
class PlaybookController {

    static final int MAX_TEXT = Inputs.MAX_TEXT;
    static final int MAX_DESCRIPTION = Inputs.MAX_DESCRIPTION;
    static final int MAX_LIST = Inputs.MAX_LIST;
    static final Set<String> ACTION_TYPES = Set.of("isolate", "block", "rotate", "notify", "webhook");

    record TriggerConditions(@Schema(description = "audit event actions, e.g. auth.api_key.verification_failed; "
            + "* for every event") @Nullable List<String> eventTypes,
                             @Schema(allowableValues = {"low", "medium", "high", "critical"}) @Nullable
                             String severityThreshold,
                             @Nullable Filters filters) {
    }

    /** Conditions beyond the event type; minOccurrences events for one resource within windowSeconds trigger. */
    record Filters(@Nullable String outcome, @Nullable String resourceType,
                   @Schema(description = "detail values the event must carry") @Nullable Map<String, String> details,
                   @Schema(description = "1 to 10000; 1 by default") @Nullable Integer minOccurrences,
                   @Schema(description = "1 to 604800; 300 by default") @Nullable Long windowSeconds,
                   @Schema(description = "what minOccurrences counts and a run targets: the event's resource (the "
                           + "default) or its actor (e.g. the API key whose calls were refused)",
                           allowableValues = {"resource", "actor"}) @Nullable String subject) {
    }

    /** What an action acts on; which parameters apply depends on its type. */
    record Parameters(@Schema(description = "block: the API key; isolate: the kms key (else the targets)") @Nullable
                      String keyId,
                      @Schema(description = "rotate: the secret (else the targets)") @Nullable String secretId,
                      @Schema(description = "rotate: the version to deprecate (required)") @Nullable Integer version,
                      @Schema(description = "notify, webhook: where the incident is POSTed (required)") @Nullable
                      String url,
                      @Schema(description = "notify, webhook: a message sent with the incident") @Nullable
                      String message) {
    }

    record ActionRequest(@Schema(allowableValues = {"isolate", "block", "rotate", "notify", "webhook"}) @Nullable
                         String type,
                         @Nullable Parameters parameters,
                         @Nullable Boolean requiresApproval) {
    }

    /** The tenant's OAuth2 client whose token acts for runs a trigger starts; the secret is stored sealed. */
    record Responder(@Nullable String clientId, @Nullable String clientSecret) {

        @Override
        public String toString() {
            return "Responder[clientId=" + clientId + ", clientSecret=***]";
        }
    }

    record CreatePlaybookRequest(@Nullable String name, @Nullable String description,
                                 @Nullable TriggerConditions triggerConditions, @Nullable List<ActionRequest> actions,
                                 @Nullable Boolean enabled,
                                 @Schema(description = "runs a trigger starts act on nothing and log what they "
                                         + "would do") @Nullable Boolean dryRun,
                                 @Nullable Responder responder) {
    }

    record PlaybookCreated(String playbookId, String name, Instant createdAt) {
    }

    record ExecutionContext(@Nullable String incidentId, @Nullable List<String> targetResources) {
    }

    record ExecutePlaybookRequest(@Nullable String playbookId, @Nullable ExecutionContext context,
                                  @Schema(description = "act on nothing; log what each step would do") @Nullable
                                  Boolean dryRun) {
    }

    record ExecutionStarted(String executionId,
                            @Schema(allowableValues = {"pending_approval", "running"}) String status,
                            Instant startedAt) {
    }

    record ExecutionStepView(int step, String actionType, @Nullable String target,
                    @Schema(allowableValues = {"succeeded", "failed", "dry_run"}) String outcome, String detail,
                    Instant recordedAt) {
    }

    record ExecutionView(String executionId, String playbookId,
                         @Schema(allowableValues = {"pending_approval", "running", "completed", "failed"})
                         String status, boolean dryRun, @Nullable String incidentId, List<String> targetResources,
                         String startedBy, Instant startedAt, @Nullable Instant finishedAt, List<ExecutionStepView> steps) {
    }

    private final PlaybookManagement playbooks;

    PlaybookController(PlaybookManagement playbooks) {
        this.playbooks = playbooks;
    }

    @Operation(summary = "Create an automated response playbook", operationId = "createPlaybook",
            description = "Needs security:write. Enabled playbooks are triggered by the platform's audit events.")
    @FailureResponse(status = 409, description = "The tenant already has a playbook of that name")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = SecurityScopes.WRITE, audit = "security.playbook.created", resourceType = "playbook",
            resourceId = "#result.playbookId")
    PlaybookCreated create(Caller caller, @RequestBody CreatePlaybookRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        String name = problems.text(request.name(), "name", MAX_TEXT, true);
        String description = problems.text(request.description(), "description", MAX_DESCRIPTION, false);
        Playbook.Trigger trigger = trigger(request.triggerConditions(), problems);
        List<Playbook.Action> actions = actions(request.actions(), problems);
        String clientId = null;
        String clientSecret = null;
        if (request.responder() != null) {
            clientId = problems.text(request.responder().clientId(), "responder.clientId", MAX_TEXT, true);
            clientSecret = problems.text(request.responder().clientSecret(), "responder.clientSecret", MAX_DESCRIPTION, true);
        }
        problems.throwIfAny();
        Playbook created = playbooks.create(tenant, new PlaybookManagement.NewPlaybook(name, description, trigger,
                actions, request.enabled() == null || request.enabled(), Boolean.TRUE.equals(request.dryRun()),
                clientId, clientSecret));
        return new PlaybookCreated(created.playbookId().toString(), created.name(), created.createdAt());
    }

    @Operation(summary = "Execute an automated response playbook", operationId = "executePlaybook",
            description = "Needs security:write. The actions act with the caller's own token, so the caller needs "
                    + "the scopes of the services they act through (write:keys, kms:write, vault:write). "
                    + "pending_approval when an action requires approval; a dry run acts on nothing.")
    @FailureResponse(status = 404, description = "No such playbook in the caller's tenant")
    @PostMapping("/execute")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiredControls(scopes = SecurityScopes.WRITE, audit = "security.playbook.executed",
            resourceType = "playbook_execution", resourceId = "#result.executionId",
            auditDetails = "{'playbookId': #request?.playbookId(), 'dryRun': #request?.dryRun()}",
            metering = "security.playbook_execute")
    ExecutionStarted execute(Caller caller, @RequestBody ExecutePlaybookRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        String playbookId = problems.text(request.playbookId(), "playbookId", MAX_TEXT, true);
        ExecutionContext context = request.context() == null ? new ExecutionContext(null, null) : request.context();
        String incidentId = problems.text(context.incidentId(), "context.incidentId", MAX_TEXT, false);
        List<String> targets = list(context.targetResources(), "context.targetResources", problems);
        problems.throwIfAny();
        Execution execution = playbooks.execute(tenant, caller.principal(), playbookId, incidentId, targets,
                Boolean.TRUE.equals(request.dryRun()), CallerToken.current());
        return new ExecutionStarted(execution.executionId().toString(), execution.status(), execution.startedAt());
    }

    @Operation(summary = "Approve an execution waiting for approval", operationId = "approvePlaybookExecution",
            description = "Needs security:write. The execution runs with the approver's token.")
    @FailureResponse(status = 404, description = "No such execution in the caller's tenant")
    @FailureResponse(status = 409, description = "The execution is not waiting for approval")
    @PostMapping("/executions/{executionId}/approve")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiredControls(scopes = SecurityScopes.WRITE, audit = "security.playbook.execution_approved",
            resourceType = "playbook_execution", resourceId = "#executionId")
    ExecutionStarted approve(Caller caller, @PathVariable String executionId) {
        Execution execution = playbooks.approve(TenantRequired.tenantOf(caller), executionId, CallerToken.current());
        return new ExecutionStarted(execution.executionId().toString(), execution.status(), execution.startedAt());
    }

    @Operation(summary = "Get an execution and its step log", operationId = "getPlaybookExecution",
            description = "Needs security:read.")
    @FailureResponse(status = 404, description = "No such execution in the caller's tenant")
    @GetMapping("/executions/{executionId}")
    @RequiredControls(scopes = SecurityScopes.READ)
    ExecutionView execution(Caller caller, @PathVariable String executionId) {
        PlaybookManagement.ExecutionLog log = playbooks.log(TenantRequired.tenantOf(caller), executionId);
        Execution e = log.execution();
        return new ExecutionView(e.executionId().toString(), e.playbookId().toString(), e.status(), e.dryRun(),
                e.incidentId(), e.targetResources(), e.startedBy(), e.startedAt(), e.finishedAt(),
                log.steps().stream().map(s -> new ExecutionStepView(s.step(), s.actionType(), s.target(), s.outcome(),
                        s.detail(), s.recordedAt())).toList());
    }

    private static Playbook.@Nullable Trigger trigger(@Nullable TriggerConditions conditions,
                                                      InvalidField.Problems problems) {
        if (conditions == null) {
            problems.add("triggerConditions", "is required");
            return null;
        }
        List<String> eventTypes = list(conditions.eventTypes(), "triggerConditions.eventTypes", problems);
        if (conditions.eventTypes() != null && eventTypes.isEmpty()) {
            problems.add("triggerConditions.eventTypes", "must name at least one event type");
        } else if (conditions.eventTypes() == null) {
            problems.add("triggerConditions.eventTypes", "is required");
        }
        String threshold = conditions.severityThreshold();
        if (threshold != null && !Playbook.SEVERITIES.contains(threshold)) {
            problems.add("triggerConditions.severityThreshold", "must be one of " + Playbook.SEVERITIES);
        }
        Filters filters = conditions.filters() == null ? new Filters(null, null, null, null, null, null)
                : conditions.filters();
        String outcome = problems.text(filters.outcome(), "triggerConditions.filters.outcome", MAX_TEXT, false);
        String resourceType = problems.text(filters.resourceType(), "triggerConditions.filters.resourceType", MAX_TEXT, false);
        Map<String, String> details = new LinkedHashMap<>();
        if (filters.details() != null) {
            filters.details().forEach((k, v) -> {
                if (v == null || k.isBlank() || v.length() > MAX_DESCRIPTION) {
                    problems.add("triggerConditions.filters.details." + k, "must be text");
                } else {
                    details.put(k, v);
                }
            });
        }
        int min = (int) range(filters.minOccurrences() == null ? null : filters.minOccurrences().longValue(),
                "triggerConditions.filters.minOccurrences", 1, 1, 10_000, problems);
        long window = range(filters.windowSeconds(), "triggerConditions.filters.windowSeconds",
                TriggerFilters.DEFAULT_WINDOW_SECONDS, 1, 604_800, problems);
        String subject = filters.subject() == null ? TriggerFilters.RESOURCE : filters.subject();
        if (!TriggerFilters.SUBJECTS.contains(subject)) {
            problems.add("triggerConditions.filters.subject", "must be one of " + TriggerFilters.SUBJECTS);
        }
        return new Playbook.Trigger(eventTypes, threshold,
                new TriggerFilters(outcome, resourceType, details, min, window, subject));
    }

    private static List<Playbook.Action> actions(@Nullable List<ActionRequest> requests,
                                                 InvalidField.Problems problems) {
        if (requests == null || requests.isEmpty()) {
            problems.add("actions", "must have at least one action");
            return List.of();
        }
        if (requests.size() > MAX_LIST) {
            problems.add("actions", "must have at most " + MAX_LIST + " actions");
            return List.of();
        }
        List<Playbook.Action> actions = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            String field = "actions[" + i + "]";
            ActionRequest a = requests.get(i);
            if (a == null || a.type() == null || !ACTION_TYPES.contains(a.type())) {
                problems.add(field + ".type", "must be one of isolate, block, rotate, notify, webhook");
                continue;
            }
            Parameters parameters = a.parameters() == null ? new Parameters(null, null, null, null, null)
                    : a.parameters();
            Map<String, Object> kept = new LinkedHashMap<>();
            switch (a.type()) {
                case "block", "isolate" -> optionalText(parameters.keyId(), "keyId", field, kept, problems);
                case "rotate" -> {
                    optionalText(parameters.secretId(), "secretId", field, kept, problems);
                    if (parameters.version() != null && parameters.version() >= 1) {
                        kept.put("version", parameters.version());
                    } else {
                        problems.add(field + ".parameters.version", "is required: a version number from 1");
                    }
                }
                default -> {
                    if (parameters.url() == null || !httpUrl(parameters.url())) {
                        problems.add(field + ".parameters.url", "is required: an absolute http or https URL");
                    } else {
                        kept.put("url", parameters.url().strip());
                    }
                    optionalText(parameters.message(), "message", field, kept, problems);
                }
            }
            actions.add(new Playbook.Action(a.type(), kept, Boolean.TRUE.equals(a.requiresApproval())));
        }
        return actions;
    }

    private static boolean httpUrl(String text) {
        try {
            URI uri = URI.create(text.strip());
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void optionalText(@Nullable String value, String name, String field, Map<String, Object> kept,
                                     InvalidField.Problems problems) {
        if (value == null) {
            return;
        }
        if (value.isBlank() || value.length() > MAX_DESCRIPTION) {
            problems.add(field + ".parameters." + name, "must be non-empty text of at most " + MAX_DESCRIPTION
                    + " characters");
            return;
        }
        kept.put(name, value.strip());
    }

    private static long range(@Nullable Long value, String field, long fallback, long min, long max,
                              InvalidField.Problems problems) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            problems.add(field, "must be a whole number from " + min + " to " + max);
            return fallback;
        }
        return value;
    }
}
