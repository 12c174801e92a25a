package io.qnsp.ai.injection.web;

import io.qnsp.ai.AiScopes;
import io.qnsp.ai.injection.Detection;
import io.qnsp.ai.injection.InjectionDetection;
import io.qnsp.ai.injection.InjectionPattern;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Prompt-injection detection: a tenant's own patterns, analysis of prompts, and statistics over the analyses. */
@Tag(name = "Prompt Injection Detection")
@RestController
@RequestMapping("/ai/v1/security/injection")
class InjectionController {

    static final int MAX_NAME = 200;
    static final int MAX_PROMPT = 100_000;

    record CreatePatternRequest(@Nullable String name,
                                @Schema(description = "a Java regular expression, matched regardless of case")
                                @Nullable String pattern,
                                @Schema(allowableValues = {"jailbreak", "data_extraction", "instruction_override"})
                                @Nullable String category,
                                @Schema(allowableValues = {"low", "medium", "high", "critical"})
                                @Nullable String severity,
                                @Schema(description = "true when absent") @Nullable Boolean enabled) {
    }

    record PatternCreated(String patternId, String name, Instant createdAt) {
    }

    record AnalyzeRequest(@Nullable String prompt,
                          @Schema(description = "surrounding text the prompt comes with (retrieved documents, "
                                  + "earlier turns); analyzed as well") @Nullable String context) {
    }

    record DetectionBody(@Schema(description = "the tenant's pattern id, or builtin:<heuristic>") String patternId,
                         String category, String severity,
                         @Schema(description = "the matched text, at most 200 characters") String matchedText,
                         @Schema(allowableValues = {"prompt", "context"}) String source) {
    }

    record AnalysisResult(boolean safe, @Schema(description = "0-100") int riskScore, List<DetectionBody> detections,
                          @Schema(allowableValues = {"allow", "sanitize", "block"}) String recommendation,
                          @Schema(description = "the tenant's patterns that exceeded their matching budget on this "
                                  + "input and could not be evaluated") List<String> unevaluatedPatterns) {
    }

    record InjectionStats(long totalAnalyzed, long blocked,
                          @Schema(description = "analyses with at least one detection in the category")
                          Map<String, Long> byCategory) {
    }

    private final InjectionDetection detection;

    InjectionController(InjectionDetection detection) {
        this.detection = detection;
    }

    @Operation(summary = "Create injection detection pattern", operationId = "createInjectionPattern",
            description = "Needs ai:write. The pattern must compile and must not backtrack catastrophically (it "
                    + "is run against probe inputs under a step budget); otherwise 400 naming pattern.")
    @PostMapping("/patterns")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = AiScopes.WRITE, audit = "ai.injection.pattern.created",
            resourceType = "injection_pattern", resourceId = "#result.patternId",
            auditDetails = "{'category': #request?.category(), 'severity': #request?.severity()}")
    PatternCreated createPattern(Caller caller, @RequestBody CreatePatternRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        String name = request.name() == null ? null : request.name().strip();
        if (name == null || name.isEmpty()) {
            problems.add("name", "is required");
        } else if (name.length() > MAX_NAME) {
            problems.add("name", "must be at most " + MAX_NAME + " characters");
        }
        if (request.pattern() == null || request.pattern().isEmpty()) {
            problems.add("pattern", "is required");
        }
        if (request.category() == null) {
            problems.add("category", "is required");
        } else if (!InjectionPattern.CATEGORIES.contains(request.category())) {
            problems.add("category", "must be one of " + InjectionPattern.CATEGORIES);
        }
        if (request.severity() == null) {
            problems.add("severity", "is required");
        } else if (!InjectionPattern.SEVERITIES.contains(request.severity())) {
            problems.add("severity", "must be one of " + InjectionPattern.SEVERITIES);
        }
        problems.throwIfAny();
        InjectionPattern pattern = detection.createPattern(tenant, new InjectionDetection.NewPattern(name,
                request.pattern(), request.category(), request.severity(), !Boolean.FALSE.equals(request.enabled())));
        return new PatternCreated(pattern.patternId().toString(), pattern.name(), pattern.createdAt());
    }

    @Operation(summary = "Analyze prompt for injection attacks", operationId = "analyzePrompt",
            description = "Needs ai:write (each analysis is recorded for the statistics; the prompt itself is not "
                    + "stored). Runs the tenant's enabled patterns and the built-in heuristics over the prompt and "
                    + "the context. riskScore = round(100 * (1 - prod(1 - w/100))) over the detections, with w = 10 "
                    + "(low), 25 (medium), 45 (high), 70 (critical); block from 60, sanitize from 25, otherwise "
                    + "allow, and safe when allow.")
    @PostMapping("/analyze")
    @RequiredControls(scopes = AiScopes.WRITE, audit = "ai.injection.analyzed", resourceType = "prompt",
            auditDetails = "{'recommendation': #result?.recommendation(), 'riskScore': #result?.riskScore()}")
    AnalysisResult analyze(Caller caller, @RequestBody AnalyzeRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.prompt() == null || request.prompt().isEmpty()) {
            problems.add("prompt", "is required");
        } else if (request.prompt().length() > MAX_PROMPT) {
            problems.add("prompt", "must be at most " + MAX_PROMPT + " characters");
        }
        if (request.context() != null && request.context().length() > MAX_PROMPT) {
            problems.add("context", "must be at most " + MAX_PROMPT + " characters");
        }
        problems.throwIfAny();
        InjectionDetection.Analysis analysis = detection.analyze(tenant, request.prompt(), request.context());
        return new AnalysisResult(analysis.safe(), analysis.riskScore(), analysis.detections().stream()
                .map(InjectionController::body).toList(), analysis.recommendation(), analysis.unevaluatedPatterns());
    }

    private static DetectionBody body(Detection d) {
        return new DetectionBody(d.patternId(), d.category(), d.severity(), d.matchedText(), d.source());
    }

    @Operation(summary = "Get injection detection statistics", operationId = "getInjectionStats",
            description = "Needs ai:read. Counted from the tenant's recorded analyses: all of them, those "
                    + "recommended block, and per category those with at least one detection in it.")
    @GetMapping("/stats")
    @RequiredControls(scopes = AiScopes.READ, audit = "ai.injection.stats.read")
    InjectionStats stats(Caller caller) {
        InjectionDetection.Stats stats = detection.stats(TenantRequired.tenantOf(caller));
        return new InjectionStats(stats.totalAnalyzed(), stats.blocked(), stats.byCategory());
    }
}
