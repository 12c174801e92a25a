package io.qnsp.securitymonitoring.surface.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.securitymonitoring.CallerToken;
import io.qnsp.securitymonitoring.Inputs;
import io.qnsp.securitymonitoring.SecurityScopes;
import io.qnsp.securitymonitoring.surface.AttackSurface;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

import static io.qnsp.securitymonitoring.Inputs.list;

/** Attack-surface analysis of the platform as deployed, and simulations of what a credential could reach. */
@Tag(name = "Attack Surface Analysis")
@RestController
@RequestMapping("/security/v1/attack-surface")
class AttackSurfaceController {

    static final int DEFAULT_DEPTH = 3;
    static final int MAX_DEPTH = 5;

    record AnalyzeRequest(@Schema(description = "platform (or *) for every service; a service name as the gateway "
            + "names it (kms); a path prefix (/kms/v1/keys); or one operation (POST /kms/v1/keys)") @Nullable
                          String targetAsset,
                          @Schema(description = "1 to 5, 3 by default: 1 open operations; 2 also operations any "
                                  + "credential passes, exposed credentials and private webhooks; 3+ credential "
                                  + "paths continue to operations issuing new credentials") @Nullable
                          Integer analysisDepth,
                          @Schema(description = "include the tenant's credentials at auth-service as leaked "
                                  + "(admin-scoped and stale API keys) and its DataHub webhooks at audit-service to "
                                  + "private addresses; needs read:keys and read:webhooks") @Nullable
                          Boolean includeExternalThreats) {
    }

    record AttackStepView(String asset, String vulnerability, String technique) {
    }

    record AttackPathView(String pathId, @Schema(allowableValues = {"low", "medium", "high", "critical"})
                          String severity, List<AttackStepView> steps, List<String> mitigations) {
    }

    record AnalysisView(String analysisId, List<AttackPathView> attackPaths,
                        @Schema(description = "the services the gateway routes to") List<String> servicesRead,
                        @Schema(description = "services whose document the gateway could not serve")
                        List<String> unreadableServices) {
    }

    record SimulateRequest(@Nullable String scenario,
                           @Schema(description = "credentials: anonymous, scopes:<scope,...>, roles:<role,...>, "
                                   + "api_key:<keyId> (a key of the tenant, its scopes read at auth-service)")
                           @Nullable List<String> entryPoints,
                           @Schema(description = "a service as the gateway names it (kms), a path prefix, or "
                                   + "METHOD /path") @Nullable
                           List<String> objectives) {
    }

    record PathTakenView(String entryPoint, String objective, String service, String operation,
                         @Schema(description = "public, no scope required, admin holds every scope, or the scopes "
                                 + "held") String access) {
    }

    record SimulationResults(@Schema(description = "the share of the objectives reached, 0 to 1")
                             double successProbability, List<PathTakenView> pathsTaken,
                             @Schema(description = "every operation of the objectives an entry point passes")
                             List<String> assetsCompromised,
                             @Schema(description = "requests needed: one per objective reached, or not reached")
                             String timeToObjective, List<String> objectivesMissed) {
    }

    record SimulationView(String simulationId, SimulationResults results) {
    }

    private final AttackSurface surface;

    AttackSurfaceController(AttackSurface surface) {
        this.surface = surface;
    }

    @Operation(summary = "Analyze attack paths", operationId = "analyzeAttackPaths",
            description = "Needs security:read. Reads the gateway's service list and the OpenAPI documents it "
                    + "serves; with includeExternalThreats, the tenant's API keys with the caller's token.")
    @FailureResponse(status = 503, description = "The gateway, auth-service or audit-service cannot be read")
    @PostMapping("/analyze")
    @RequiredControls(scopes = SecurityScopes.READ, audit = "security.attack_surface.analyzed",
            resourceType = "attack_surface_analysis", resourceId = "#result.analysisId",
            metering = "security.attack_path_analysis")
    AnalysisView analyze(Caller caller, @RequestBody AnalyzeRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        String target = problems.text(request.targetAsset(), "targetAsset", Inputs.MAX_TEXT, true);
        int depth = request.analysisDepth() == null ? DEFAULT_DEPTH : request.analysisDepth();
        if (depth < 1 || depth > MAX_DEPTH) {
            problems.add("analysisDepth", "must be from 1 to " + MAX_DEPTH);
        }
        problems.throwIfAny();
        AttackSurface.Analysis analysis = surface.analyze(tenant, CallerToken.current(), target, depth,
                Boolean.TRUE.equals(request.includeExternalThreats()));
        return new AnalysisView(analysis.analysisId().toString(), analysis.attackPaths().stream()
                .map(p -> new AttackPathView(p.pathId(), p.severity(), p.steps().stream()
                        .map(s -> new AttackStepView(s.asset(), s.vulnerability(), s.technique())).toList(),
                        p.mitigations())).toList(), analysis.servicesRead(), analysis.unreadableServices());
    }

    @Operation(summary = "Simulate an attack scenario", operationId = "simulateAttack",
            description = "Needs security:read. Judges each objective against the entry points' credentials by the "
                    + "security requirements of the documents the gateway serves.")
    @FailureResponse(status = 503, description = "The gateway or auth-service cannot be read")
    @PostMapping("/simulate")
    @RequiredControls(scopes = SecurityScopes.READ, audit = "security.attack_surface.simulated",
            resourceType = "attack_simulation", resourceId = "#result.simulationId",
            auditDetails = "{'scenario': #request?.scenario()}", metering = "security.attack_simulation")
    SimulationView simulate(Caller caller, @RequestBody SimulateRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        String scenario = problems.text(request.scenario(), "scenario", Inputs.MAX_TEXT, true);
        List<String> entryPoints = list(request.entryPoints(), "entryPoints", problems);
        if (request.entryPoints() == null || request.entryPoints().isEmpty()) {
            problems.add("entryPoints", "must name at least one entry point");
        }
        List<String> objectives = list(request.objectives(), "objectives", problems);
        if (request.objectives() == null || request.objectives().isEmpty()) {
            problems.add("objectives", "must name at least one objective");
        }
        problems.throwIfAny();
        AttackSurface.Simulation s = surface.simulate(tenant, CallerToken.current(), scenario, entryPoints,
                objectives);
        return new SimulationView(s.simulationId().toString(), new SimulationResults(s.successProbability(),
                s.pathsTaken().stream().map(p -> new PathTakenView(p.entryPoint(), p.objective(), p.service(),
                        p.operation(), p.access())).toList(), s.assetsCompromised(), s.timeToObjective(),
                s.objectivesMissed()));
    }
}
