package io.qnsp.auth.risk;

import io.qnsp.auth.LookBackPeriod;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A tenant's evaluations over a period.
 *
 * @param since            the start of the period (inclusive); it ends now
 * @param riskDistribution evaluations per risk level, every level present
 * @param topRiskFactors   the factors named most often, with the number of evaluations naming each
 * @param challengeRate    the share of evaluations recommended {@code challenge}, 0–1, four decimals
 * @param denyRate         the share of evaluations recommended {@code deny}, 0–1, four decimals
 */
public record RiskStats(LookBackPeriod period, Instant since, long totalEvaluations,
                        Map<RiskLevel, Long> riskDistribution, List<FactorCount> topRiskFactors,
                        double challengeRate, double denyRate) {

    /** How many evaluations of the period named the factor. */
    public record FactorCount(String factor, long count) {
    }
}
