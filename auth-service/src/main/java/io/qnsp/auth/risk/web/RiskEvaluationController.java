package io.qnsp.auth.risk.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.qnsp.auth.risk.AppliedPolicy;
import io.qnsp.auth.risk.ChallengeType;
import io.qnsp.auth.risk.LoginAttempt;
import io.qnsp.auth.risk.Recommendation;
import io.qnsp.auth.risk.RiskAssessment;
import io.qnsp.auth.risk.RiskEvaluationManagement;
import io.qnsp.auth.risk.RiskFactor;
import io.qnsp.auth.risk.RiskLevel;
import io.qnsp.auth.risk.RiskStats;
import io.qnsp.auth.LookBackPeriod;
import io.qnsp.common.controls.RequiredControls;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Tag(name = "Risk-based authentication")
@SecurityRequirement(name = OpenApiAutoConfiguration.BEARER_JWT)
@RestController
@RequestMapping("/auth/risk")
class RiskEvaluationController {

    record GeoLocationBody(@Size(max = 100) String country, @Size(max = 200) String city, Double latitude,
                           Double longitude) {

        LoginAttempt.Location location() {
            return country == null && city == null && latitude == null && longitude == null ? null
                    : new LoginAttempt.Location(country, city, latitude, longitude);
        }
    }

    record SessionContextBody(Instant previousLoginAt, @PositiveOrZero @Max(1_000_000) Integer failedAttempts) {
    }

    record EvaluateRequest(@NotBlank @Size(max = 200) String userId, @Size(max = 100) String ipAddress,
                           @Size(max = 1000) String userAgent, @Valid GeoLocationBody geoLocation,
                           @Size(min = 1, max = 512) String deviceFingerprint,
                           @Valid SessionContextBody sessionContext) {

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
                              @JsonInclude(JsonInclude.Include.ALWAYS) ChallengeType challengeType,
                              UUID evaluationId, Instant evaluatedAt, List<AppliedPolicyBody> appliedPolicies) {

        static EvaluationResponse of(RiskAssessment assessment) {
            return new EvaluationResponse(assessment.riskScore(), assessment.riskLevel(), assessment.factors(),
                    assessment.recommendation(), assessment.challengeType(), assessment.evaluationId(),
                    assessment.evaluatedAt(),
                    assessment.appliedPolicies().stream().map(AppliedPolicyBody::of).toList());
        }
    }

    record StatsResponse(String period, long totalEvaluations, Map<String, Long> riskDistribution,
                         List<RiskStats.FactorCount> topRiskFactors, double challengeRate, double denyRate,
                         Instant since) {

        static StatsResponse of(RiskStats stats) {
            Map<String, Long> distribution = new LinkedHashMap<>();
            for (RiskLevel level : RiskLevel.values()) {
                distribution.put(level.value(), stats.riskDistribution().getOrDefault(level, 0L));
            }
            return new StatsResponse(stats.period().value(), stats.totalEvaluations(), distribution,
                    stats.topRiskFactors(), stats.challengeRate(), stats.denyRate(), stats.since());
        }
    }

    private final RiskEvaluationManagement management;

    RiskEvaluationController(RiskEvaluationManagement management) {
        this.management = management;
    }

    @Operation(summary = "Score a login attempt",
            description = "Scores the attempt 0–100 from the user's stored history, the tenant's enabled policies"
                    + " and recent threat signals, stores the evaluation and recommends allow, challenge or deny.")
    @PostMapping("/evaluate")
    @RequiredControls(audit = "auth.risk.evaluated", resourceType = "risk_evaluation",
            resourceId = "#result.evaluationId", metering = "auth.risk_evaluation")
    EvaluationResponse evaluate(Caller caller, @Valid @RequestBody EvaluateRequest request) {
        return EvaluationResponse.of(management.evaluate(caller, request.attempt()));
    }

    @Operation(summary = "The tenant's evaluations over a period",
            description = "period is 1h, 24h (default), 7d or 30d, ending now. Rates are shares between 0 and 1.")
    @GetMapping("/stats")
    @RequiredControls(scopes = RiskScopes.READ, audit = "auth.risk.stats.read", resourceType = "risk_stats")
    StatsResponse stats(Caller caller, @RequestParam(required = false) String period) {
        return StatsResponse.of(management.stats(caller, LookBackPeriod.parse(period)));
    }
}
