package io.qnsp.auth.risk.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.qnsp.auth.LookBackPeriod;
import io.qnsp.auth.risk.AppliedPolicy;
import io.qnsp.auth.risk.ChallengeType;
import io.qnsp.auth.risk.LoginAttempt;
import io.qnsp.auth.risk.Recommendation;
import io.qnsp.auth.risk.RiskAssessment;
import io.qnsp.auth.risk.RiskEvaluationManagement;
import io.qnsp.auth.risk.RiskFactor;
import io.qnsp.auth.risk.RiskLevel;
import io.qnsp.auth.risk.RiskStats;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.openapi.OpenApiAutoConfiguration;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Tag(name = "Risk-based authentication")
@SecurityRequirement(name = OpenApiAutoConfiguration.BEARER_JWT)
@RestController
@RequestMapping("/auth/risk")
class RiskEvaluationController {

    /** Every part is optional; latitude and longitude come together or not at all. */
    record GeoLocationBody(@Nullable @Size(max = 100) String country, @Nullable @Size(max = 200) String city,
                           @Nullable Double latitude, @Nullable Double longitude) {

        LoginAttempt.Location location() {
            return country == null && city == null && latitude == null && longitude == null ? null
                    : new LoginAttempt.Location(country, city, latitude, longitude);
        }
    }

    record SessionContextBody(@Nullable Instant previousLoginAt,
                              @Nullable @PositiveOrZero @Max(1_000_000) Integer failedAttempts) {
    }

    record EvaluateRequest(@NotBlank @Size(max = 200) String userId, @Nullable @Size(max = 100) String ipAddress,
                           @Nullable @Size(max = 1000) String userAgent, @Nullable @Valid GeoLocationBody geoLocation,
                           @Nullable @Size(min = 1, max = 512) String deviceFingerprint,
                           @Nullable @Valid SessionContextBody sessionContext) {

        LoginAttempt attempt() {
            return new LoginAttempt(userId, ipAddress, userAgent,
                    geoLocation == null ? null : geoLocation.location(), deviceFingerprint,
                    sessionContext == null ? null : sessionContext.previousLoginAt(),
                    sessionContext == null || sessionContext.failedAttempts() == null ? 0
                            : sessionContext.failedAttempts());
        }
    }

    record AppliedPolicyBody(UUID policyId, String name, String action) {

        static AppliedPolicyBody of(AppliedPolicy policy) {
            return new AppliedPolicyBody(policy.policyId(), policy.name(), policy.action().value());
        }
    }

    record EvaluationResponse(int riskScore, RiskLevel riskLevel, List<RiskFactor> factors,
                              Recommendation recommendation,
                              @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable ChallengeType challengeType,
                              UUID evaluationId, Instant evaluatedAt, List<AppliedPolicyBody> appliedPolicies) {

        static EvaluationResponse of(RiskAssessment assessment) {
            return new EvaluationResponse(assessment.riskScore(), assessment.riskLevel(), assessment.factors(),
                    assessment.recommendation(), assessment.challengeType(), assessment.evaluationId(),
                    assessment.evaluatedAt(),
                    assessment.appliedPolicies().stream().map(AppliedPolicyBody::of).toList());
        }
    }

    /** Evaluations per risk level; every level is present. */
    record RiskDistribution(long low, long medium, long high, long critical) {

        static RiskDistribution of(Map<RiskLevel, Long> counts) {
            return new RiskDistribution(counts.getOrDefault(RiskLevel.LOW, 0L),
                    counts.getOrDefault(RiskLevel.MEDIUM, 0L), counts.getOrDefault(RiskLevel.HIGH, 0L),
                    counts.getOrDefault(RiskLevel.CRITICAL, 0L));
        }
    }

    record StatsResponse(String period, long totalEvaluations, RiskDistribution riskDistribution,
                         List<RiskStats.FactorCount> topRiskFactors, double challengeRate, double denyRate,
                         Instant since) {

        static StatsResponse of(RiskStats stats) {
            return new StatsResponse(stats.period().value(), stats.totalEvaluations(),
                    RiskDistribution.of(stats.riskDistribution()), stats.topRiskFactors(), stats.challengeRate(),
                    stats.denyRate(), stats.since());
        }
    }

    private final RiskEvaluationManagement management;

    RiskEvaluationController(RiskEvaluationManagement management) {
        this.management = management;
    }

    @Operation(summary = "Score a login attempt",
            description = "Scores the attempt 0–100 from the user's stored history, the tenant's enabled policies"
                    + " and recent threat signals, stores the evaluation and recommends allow, challenge or deny.",
            operationId = "evaluateLoginRisk")
    @PostMapping("/evaluate")
    @FailureResponse(status = 403, description = "The caller belongs to no tenant")
    @RequiredControls(audit = "auth.risk.evaluated", resourceType = "risk_evaluation",
            resourceId = "#result.evaluationId", metering = "auth.risk_evaluation")
    EvaluationResponse evaluate(Caller caller, @Valid @RequestBody EvaluateRequest request) {
        return EvaluationResponse.of(management.evaluate(caller, request.attempt()));
    }

    @Operation(summary = "The tenant's evaluations over a period",
            description = "period is 1h, 24h (default), 7d or 30d, ending now. Rates are shares between 0 and 1.",
            operationId = "getRiskStats")
    @GetMapping("/stats")
    @RequiredControls(scopes = RiskScopes.READ, audit = "auth.risk.stats.read", resourceType = "risk_stats")
    StatsResponse stats(Caller caller, @RequestParam(required = false) String period) {
        return StatsResponse.of(management.stats(caller, LookBackPeriod.parse(period)));
    }
}
