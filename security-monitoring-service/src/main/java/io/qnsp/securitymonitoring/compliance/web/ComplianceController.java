package io.qnsp.securitymonitoring.compliance.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.securitymonitoring.CallerToken;
import io.qnsp.securitymonitoring.Inputs;
import io.qnsp.securitymonitoring.SecurityScopes;
import io.qnsp.securitymonitoring.compliance.AutomatedCheck;
import io.qnsp.securitymonitoring.compliance.ComplianceControl;
import io.qnsp.securitymonitoring.compliance.ComplianceManagement;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.qnsp.securitymonitoring.Inputs.list;

/** Compliance mapping: a tenant's controls mapped to automated checks, and assessments against the evidence. */
@Tag(name = "Compliance Mapping")
@RestController
@RequestMapping("/security/v1/compliance")
class ComplianceController {

    static final String CHECKS = "api_keys_rotated_within_90_days, no_stale_api_keys, no_admin_api_keys, "
            + "api_keys_expire (API keys at auth-service), kms_keys_rotated_within_365_days (keys at kms-service), "
            + "api_key_abuse_response, audit_events_monitored (this service's playbooks)";

    record CreateControlRequest(@Nullable String controlId, @Nullable String framework, @Nullable String name,
                                @Nullable String description, @Nullable List<String> requirements,
                                @Schema(description = "the checks giving the control's evidence: " + CHECKS)
                                @Nullable List<String> automatedChecks) {
    }

    record ControlCreated(String controlUuid, String controlId, Instant createdAt) {
    }

    record Scope(@Schema(description = "api_key, kms_key, playbook: only checks over these run (all when absent)")
                 @Nullable List<String> resourceTypes,
                 @Schema(description = "not supported: the evidence carries no tags; must be absent or empty")
                 @Nullable Map<String, String> tags) {
    }

    record AssessRequest(@Schema(description = "the frameworks assessed; all of the tenant's when absent or empty")
                         @Nullable List<String> frameworks, @Nullable Scope scope) {
    }

    record FrameworkScore(@Schema(description = "percent of the assessed controls that passed") double score,
                          int passed, int failed,
                          @Schema(description = "controls with no automated check in scope") int notAssessed) {
    }

    record FindingView(String check, String resourceType, @Nullable String resourceId, String finding) {
    }

    record ControlAssessment(String controlUuid, String controlId, String framework, String name,
                             @Schema(allowableValues = {"passed", "failed", "not_assessed"}) String status,
                             List<String> checksRun, List<FindingView> findings) {
    }

    record AssessmentView(String assessmentId, double overallScore, Map<String, FrameworkScore> byFramework,
                          List<ControlAssessment> controls, Instant assessedAt) {
    }

    private final ComplianceManagement compliance;

    ComplianceController(ComplianceManagement compliance) {
        this.compliance = compliance;
    }

    @Operation(summary = "Create a compliance control", operationId = "createComplianceControl",
            description = "Needs security:write. automatedChecks name the platform's checks: " + CHECKS + ".")
    @FailureResponse(status = 409, description = "The tenant has a control of that id in the framework")
    @PostMapping("/controls")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = SecurityScopes.WRITE, audit = "security.compliance.control_created",
            resourceType = "compliance_control", resourceId = "#result.controlUuid")
    ControlCreated create(Caller caller, @RequestBody CreateControlRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        String controlId = problems.text(request.controlId(), "controlId", Inputs.MAX_TEXT, true);
        String framework = problems.text(request.framework(), "framework", Inputs.MAX_TEXT, true);
        String name = problems.text(request.name(), "name", Inputs.MAX_TEXT, true);
        String description = problems.text(request.description(), "description", Inputs.MAX_DESCRIPTION, false);
        List<String> requirements = list(request.requirements(), "requirements", problems);
        List<String> checks = list(request.automatedChecks(), "automatedChecks", problems);
        for (int i = 0; i < checks.size(); i++) {
            if (AutomatedCheck.of(checks.get(i)).isEmpty()) {
                problems.add("automatedChecks[" + i + "]", "is not a known check; known: " + AutomatedCheck.names());
            }
        }
        problems.throwIfAny();
        ComplianceControl control = compliance.create(tenant, new ComplianceManagement.NewControl(controlId,
                framework, name, description, requirements, checks));
        return new ControlCreated(control.controlUuid().toString(), control.controlId(), control.createdAt());
    }

    @Operation(summary = "Run a compliance assessment", operationId = "assessCompliance",
            description = "Needs security:read. The evidence is read with the caller's token: checks over API keys "
                    + "need read:keys at auth-service, checks over kms keys kms:read at kms-service.")
    @FailureResponse(status = 503, description = "A service holding the evidence cannot be reached")
    @PostMapping("/assess")
    @RequiredControls(scopes = SecurityScopes.READ, audit = "security.compliance.assessed",
            resourceType = "compliance_assessment", resourceId = "#result.assessmentId",
            metering = "security.compliance_assessment")
    AssessmentView assess(Caller caller, @RequestBody(required = false) @Nullable AssessRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        AssessRequest r = request == null ? new AssessRequest(null, null) : request;
        InvalidField.Problems problems = new InvalidField.Problems();
        List<String> frameworks = list(r.frameworks(), "frameworks", problems);
        Set<String> resourceTypes = new LinkedHashSet<>();
        if (r.scope() != null) {
            List<String> types = list(r.scope().resourceTypes(), "scope.resourceTypes", problems);
            for (int i = 0; i < types.size(); i++) {
                if (AutomatedCheck.Evidence.of(types.get(i)).isEmpty()) {
                    problems.add("scope.resourceTypes[" + i + "]", "must be one of "
                            + AutomatedCheck.Evidence.names());
                }
            }
            resourceTypes.addAll(types);
            if (r.scope().tags() != null && !r.scope().tags().isEmpty()) {
                problems.add("scope.tags", "is not supported: the evidence the platform holds carries no tags");
            }
        }
        problems.throwIfAny();
        ComplianceManagement.Assessment a = compliance.assess(tenant, CallerToken.current(), frameworks,
                resourceTypes);
        Map<String, FrameworkScore> byFramework = new LinkedHashMap<>();
        a.byFramework().forEach((framework, s) -> byFramework.put(framework, new FrameworkScore(s.score(),
                s.passed(), s.failed(), s.notAssessed())));
        return new AssessmentView(a.assessmentId().toString(), a.overallScore(), byFramework,
                a.controls().stream().map(c -> new ControlAssessment(c.control().controlUuid().toString(),
                        c.control().controlId(), c.control().framework(), c.control().name(), c.status(),
                        c.checksRun(), c.findings().stream().map(f -> new FindingView(f.check(), f.resourceType(),
                                f.resourceId(), f.finding())).toList())).toList(), a.assessedAt());
    }
}
