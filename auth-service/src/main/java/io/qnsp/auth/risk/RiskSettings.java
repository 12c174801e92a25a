package io.qnsp.auth.risk;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of risk-based authentication ({@code qnsp.auth.risk.*}).
 *
 * @param evaluationRetention    how long evaluations (the users' login history and the stats) are kept; at least
 *                               30 days, the longest stats period
 * @param signalRetention        how long threat signals are kept
 * @param ipAddressRetention     how long the raw IP addresses of evaluations and signals are kept before they are
 *                               erased (the rest of the record stays)
 * @param retentionSweepInterval how often expired data is deleted or erased
 * @param failureWindow          how far back denied evaluations of a user count as failed attempts
 * @param signalWindow           how far back threat signals count towards a user's score
 * @param signalHalfLife         the age at which a signal counts half as much as a fresh one
 * @param maxPoliciesPerTenant   how many risk policies a tenant may hold
 * @param defaultChallengeType   the challenge asked for when the score alone calls for one and no policy names one
 */
@Validated
@ConfigurationProperties("qnsp.auth.risk")
public record RiskSettings(@DefaultValue("90d") Duration evaluationRetention,
                           @DefaultValue("90d") Duration signalRetention,
                           @DefaultValue("30d") Duration ipAddressRetention,
                           @DefaultValue("1h") Duration retentionSweepInterval,
                           @DefaultValue("1h") Duration failureWindow,
                           @DefaultValue("30d") Duration signalWindow,
                           @DefaultValue("24h") Duration signalHalfLife,
                           @DefaultValue("100") @Min(1) @Max(10_000) int maxPoliciesPerTenant,
                           @DefaultValue("mfa") ChallengeType defaultChallengeType) {

    /** The longest period {@code GET /auth/risk/stats} reports on. */
    static final Duration LONGEST_STATS_PERIOD = Duration.ofDays(30);

    public RiskSettings {
        requirePositive(evaluationRetention, "evaluation-retention");
        requirePositive(signalRetention, "signal-retention");
        requirePositive(ipAddressRetention, "ip-address-retention");
        requirePositive(retentionSweepInterval, "retention-sweep-interval");
        requirePositive(failureWindow, "failure-window");
        requirePositive(signalWindow, "signal-window");
        requirePositive(signalHalfLife, "signal-half-life");
        if (evaluationRetention.compareTo(LONGEST_STATS_PERIOD) < 0) {
            throw new IllegalArgumentException("qnsp.auth.risk.evaluation-retention must be at least 30d:"
                    + " the stats report on up to 30 days of evaluations");
        }
        if (signalWindow.compareTo(signalRetention) > 0) {
            throw new IllegalArgumentException("qnsp.auth.risk.signal-window must not exceed signal-retention");
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("qnsp.auth.risk." + name + " must be a positive duration");
        }
    }
}
