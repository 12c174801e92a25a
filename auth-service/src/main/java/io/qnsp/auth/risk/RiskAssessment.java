package io.qnsp.auth.risk;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The stored outcome of one evaluation.
 *
 * @param challengeType   set only when the recommendation is {@code challenge}
 * @param appliedPolicies the tenant's policies that applied, in creation order
 */
public record RiskAssessment(UUID evaluationId, Instant evaluatedAt, int riskScore, RiskLevel riskLevel,
                             List<RiskFactor> factors, Recommendation recommendation, ChallengeType challengeType,
                             List<AppliedPolicy> appliedPolicies) {
}
