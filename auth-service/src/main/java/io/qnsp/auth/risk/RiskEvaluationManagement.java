package io.qnsp.auth.risk;

import io.qnsp.common.security.TenantRequired;
import io.qnsp.auth.LookBackPeriod;
import io.qnsp.common.security.Caller;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Evaluates login attempts against the tenant's history, policies and threat signals, stores every evaluation,
 * and reports on them.
 */
@Service
public class RiskEvaluationManagement {

    /** How many factors the stats list. */
    static final int TOP_FACTORS = 10;
    /** How far in the future a reported previous login may lie, for clocks that disagree. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final RiskEvaluations evaluations;
    private final RiskPolicyManagement policies;
    private final ThreatSignalManagement signals;
    private final RiskSettings settings;
    private final RiskScoring scoring;
    private final Clock clock;

    RiskEvaluationManagement(RiskEvaluations evaluations, RiskPolicyManagement policies,
                             ThreatSignalManagement signals, RiskSettings settings, Optional<Clock> clock) {
        this.evaluations = evaluations;
        this.policies = policies;
        this.signals = signals;
        this.settings = settings;
        this.scoring = new RiskScoring(settings.signalHalfLife(), settings.defaultChallengeType());
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Transactional
    public RiskAssessment evaluate(Caller caller, LoginAttempt attempt) {
        String tenant = TenantRequired.tenantOf(caller);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (attempt.previousLoginAt() != null && attempt.previousLoginAt().isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidRiskInput("sessionContext.previousLoginAt", "must not be in the future");
        }
        String deviceHash = attempt.deviceFingerprint() == null ? null : digest(attempt.deviceFingerprint());
        RiskScoring.History history = history(tenant, attempt, deviceHash, now);
        RiskScoring.Outcome outcome = scoring.assess(attempt, history, policies.enabledRules(tenant),
                signals.recentFor(tenant, attempt.userId(), now.minus(settings.signalWindow())), now);
        RiskEvaluation evaluation = evaluations.save(
                new RiskEvaluation(UUID.randomUUID(), tenant, attempt, deviceHash, now, outcome));
        return new RiskAssessment(evaluation.id(), now, outcome.score(), outcome.level(), outcome.factors(),
                outcome.recommendation(), outcome.challengeType(), outcome.appliedPolicies());
    }

    @Transactional(readOnly = true)
    public RiskStats stats(Caller caller, LookBackPeriod period) {
        String tenant = TenantRequired.tenantOf(caller);
        Instant since = clock.instant().truncatedTo(ChronoUnit.MICROS).minus(period.length());
        Map<RiskLevel, Long> distribution = new EnumMap<>(RiskLevel.class);
        for (RiskLevel level : RiskLevel.values()) {
            distribution.put(level, 0L);
        }
        long total = 0;
        long challenged = 0;
        long denied = 0;
        for (Object[] row : evaluations.countOutcomes(tenant, since)) {
            long count = ((Number) row[2]).longValue();
            distribution.merge(RiskLevel.fromValue((String) row[0]), count, Long::sum);
            Recommendation recommendation = Recommendation.fromValue((String) row[1]);
            total += count;
            if (recommendation == Recommendation.CHALLENGE) {
                challenged += count;
            } else if (recommendation == Recommendation.DENY) {
                denied += count;
            }
        }
        List<RiskStats.FactorCount> factors = evaluations
                .countFactors(tenant, since, PageRequest.of(0, TOP_FACTORS)).stream()
                .map(row -> new RiskStats.FactorCount((String) row[0], ((Number) row[1]).longValue()))
                .toList();
        return new RiskStats(period, since, total, distribution, factors, rate(challenged, total),
                rate(denied, total));
    }

    private RiskScoring.History history(String tenant, LoginAttempt attempt, String deviceHash, Instant now) {
        String user = attempt.userId();
        String allowed = RiskEvaluations.ALLOWED;
        int recentDenials = (int) Math.min(Integer.MAX_VALUE,
                evaluations.countByTenantIdAndUserIdAndRecommendationAndEvaluatedAtAfter(tenant, user,
                        RiskEvaluations.DENIED, now.minus(settings.failureWindow())));
        if (!evaluations.existsByTenantIdAndUserIdAndRecommendation(tenant, user, allowed)) {
            return new RiskScoring.History(false, false, false, false, false, null, recentDenials);
        }
        boolean deviceKnown = deviceHash != null
                && evaluations.existsByTenantIdAndUserIdAndRecommendationAndDeviceHash(tenant, user, allowed,
                deviceHash);
        LoginAttempt.Location location = attempt.location();
        boolean knownLocations = evaluations.existsByTenantIdAndUserIdAndRecommendationAndCountryIsNotNull(tenant,
                user, allowed);
        boolean countryKnown = false;
        boolean cityKnown = false;
        if (knownLocations && location != null && location.country() != null) {
            countryKnown = evaluations.existsByTenantIdAndUserIdAndRecommendationAndCountry(tenant, user, allowed,
                    location.country());
            cityKnown = countryKnown && location.city() != null
                    && evaluations.cityAllowedBefore(tenant, user, location.country(), location.city());
        }
        RiskScoring.PreviousLogin previous = evaluations
                .findFirstByTenantIdAndUserIdAndRecommendationAndLatitudeIsNotNullOrderByEvaluatedAtDesc(tenant, user,
                        allowed)
                .map(e -> new RiskScoring.PreviousLogin(e.location(), e.evaluatedAt()))
                .orElse(null);
        return new RiskScoring.History(true, deviceKnown, knownLocations, countryKnown, cityKnown, previous,
                recentDenials);
    }

    /** Device fingerprints are only ever compared, so a digest is all that is kept. */
    static String digest(String fingerprint) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(fingerprint.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    private static double rate(long part, long total) {
        if (total == 0) {
            return 0.0;
        }
        return BigDecimal.valueOf(part).divide(BigDecimal.valueOf(total), 4, RoundingMode.HALF_UP).doubleValue();
    }
}
