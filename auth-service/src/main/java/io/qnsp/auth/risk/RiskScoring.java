package io.qnsp.auth.risk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Scores a login attempt against the user's history, the tenant's policies and recent threat signals. Pure: every
 * input is given, nothing is read or stored here, so each rule can be tested on its own. The score is the sum of
 * the factors' points, at most 100; see {@code docs/auth-risk.md} for the weights and why they are what they are.
 */
final class RiskScoring {

    static final String FAILED_ATTEMPTS = "failed_attempts";
    static final String NEW_DEVICE = "new_device";
    static final String UNIDENTIFIED_DEVICE = "unidentified_device";
    static final String NEW_LOCATION = "new_location";
    static final String IMPOSSIBLE_TRAVEL = "impossible_travel";
    static final String UNLIKELY_TRAVEL = "unlikely_travel";
    static final String THREAT_SIGNALS = "threat_signals";
    static final String GEO_RESTRICTION = "geo_restriction";
    static final String OUTSIDE_ALLOWED_HOURS = "outside_allowed_hours";

    static final int POINTS_PER_FAILED_ATTEMPT = 10;
    static final int MAX_FAILED_ATTEMPT_POINTS = 60;
    static final int NEW_DEVICE_POINTS = 25;
    static final int UNIDENTIFIED_DEVICE_POINTS = 10;
    static final int NEW_COUNTRY_POINTS = 15;
    static final int NEW_CITY_POINTS = 5;
    static final int IMPOSSIBLE_TRAVEL_POINTS = 45;
    static final int UNLIKELY_TRAVEL_POINTS = 20;
    static final int MAX_SIGNAL_POINTS = 70;
    static final int OUTSIDE_COUNTRIES_POINTS = 40;
    static final int UNKNOWN_COUNTRY_POINTS = 20;
    static final int OUTSIDE_HOURS_POINTS = 20;

    /** A commercial airliner's cruising speed: no one travels faster between two logins. */
    static final double AIRLINER_SPEED_KMH = 900;
    /** Faster than any ground transport: only a direct flight with no time on the ground covers it. */
    static final double UNLIKELY_SPEED_KMH = 500;
    /** IP geolocation is often off by tens of kilometres; shorter hops say nothing. */
    static final double MIN_TRAVEL_KM = 100;
    /** Two logins closer in time than this are treated as this far apart, so a speed is always finite. */
    static final Duration MIN_TRAVEL_TIME = Duration.ofMinutes(1);

    private final Duration signalHalfLife;
    private final ChallengeType defaultChallenge;

    RiskScoring(Duration signalHalfLife, ChallengeType defaultChallenge) {
        if (signalHalfLife == null || signalHalfLife.isZero() || signalHalfLife.isNegative()) {
            throw new IllegalArgumentException("the signal half-life must be positive");
        }
        this.signalHalfLife = signalHalfLife;
        this.defaultChallenge = defaultChallenge;
    }

    /**
     * What the tenant's stored evaluations say about the user. Only evaluations that were recommended
     * {@code allow} count as the user's logins: whether a challenge was passed is never reported back, and a
     * denied attacker must not make their device or country look familiar.
     *
     * @param knownUser      the user has at least one allowed evaluation
     * @param deviceKnown    the attempt's device appeared in an allowed evaluation
     * @param knownLocations the user has allowed evaluations that named a country
     * @param countryKnown   the attempt's country appeared in an allowed evaluation
     * @param cityKnown      the attempt's city (in its country) appeared in an allowed evaluation
     * @param previousLogin  the latest allowed evaluation with a position, or {@code null}
     * @param recentDenials  evaluations of the user recommended {@code deny} within the failure window
     */
    record History(boolean knownUser, boolean deviceKnown, boolean knownLocations, boolean countryKnown,
                   boolean cityKnown, PreviousLogin previousLogin, int recentDenials) {

        static History none() {
            return new History(false, false, false, false, false, null, 0);
        }
    }

    /** Where and when the user was last allowed in. */
    record PreviousLogin(LoginAttempt.Location location, Instant at) {
    }

    /** An enabled policy of the tenant, as the scoring applies it. */
    record Policy(UUID policyId, String name, Integer riskScoreThreshold, Set<String> allowedCountries,
                  AllowedHours allowedHours, HighRiskAction onHighRisk, ChallengeType challengeType) {

        Policy {
            allowedCountries = allowedCountries == null ? Set.of() : Set.copyOf(allowedCountries);
        }
    }

    /** A threat signal reported for the user. */
    record Signal(SignalType type, Severity severity, Instant recordedAt) {
    }

    /** The score, its band, its reasons and what to do. */
    record Outcome(int score, RiskLevel level, List<RiskFactor> factors, Recommendation recommendation,
                   ChallengeType challengeType, List<AppliedPolicy> appliedPolicies) {
    }

    Outcome assess(LoginAttempt attempt, History history, List<Policy> policies, List<Signal> signals, Instant now) {
        List<RiskFactor> factors = new ArrayList<>();
        failedAttempts(attempt, history).ifPresent(factors::add);
        device(attempt, history).ifPresent(factors::add);
        location(attempt, history).ifPresent(factors::add);
        travel(attempt, history, now).ifPresent(factors::add);
        signals(signals, now).ifPresent(factors::add);

        Map<String, RiskFactor> violations = new LinkedHashMap<>();
        List<Policy> violated = new ArrayList<>();
        for (Policy policy : policies) {
            boolean breached = false;
            RiskFactor geo = geoRestriction(policy, attempt);
            if (geo != null) {
                violations.merge(geo.name(), geo, RiskScoring::stronger);
                breached = true;
            }
            RiskFactor hours = allowedHours(policy, now);
            if (hours != null) {
                violations.merge(hours.name(), hours, RiskScoring::stronger);
                breached = true;
            }
            if (breached) {
                violated.add(policy);
            }
        }
        factors.addAll(violations.values());
        factors.sort(Comparator.comparingInt(RiskFactor::score).reversed().thenComparing(RiskFactor::name));

        int score = Math.min(100, factors.stream().mapToInt(RiskFactor::score).sum());
        RiskLevel level = RiskLevel.of(score);
        return decide(score, level, factors, policies, violated);
    }

    private Outcome decide(int score, RiskLevel level, List<RiskFactor> factors, List<Policy> policies,
                           List<Policy> violated) {
        Recommendation recommendation = switch (level) {
            case LOW -> Recommendation.ALLOW;
            case MEDIUM, HIGH -> Recommendation.CHALLENGE;
            case CRITICAL -> Recommendation.DENY;
        };
        List<AppliedPolicy> applied = new ArrayList<>();
        ChallengeType policyChallenge = null;
        for (Policy policy : policies) {
            boolean aboveThreshold = policy.riskScoreThreshold() != null && score >= policy.riskScoreThreshold();
            if (!aboveThreshold && !violated.contains(policy)) {
                continue;
            }
            applied.add(new AppliedPolicy(policy.policyId(), policy.name(), policy.onHighRisk()));
            recommendation = recommendation.strictest(policy.onHighRisk().recommendation());
            if (policy.onHighRisk() == HighRiskAction.CHALLENGE) {
                policyChallenge = policyChallenge == null ? policy.challengeType()
                        : policyChallenge.strongest(policy.challengeType());
            }
        }
        // a tenant's policy names the challenge it wants; the default applies only when no policy asked for one
        ChallengeType challenge = recommendation != Recommendation.CHALLENGE ? null
                : policyChallenge != null ? policyChallenge : defaultChallenge;
        return new Outcome(score, level, List.copyOf(factors), recommendation, challenge, List.copyOf(applied));
    }

    private static RiskFactor stronger(RiskFactor a, RiskFactor b) {
        return b.score() > a.score() ? b : a;
    }

    private static Optional<RiskFactor> failedAttempts(LoginAttempt attempt, History history) {
        int failures = attempt.failedAttempts() + history.recentDenials();
        if (failures <= 0) {
            return Optional.empty();
        }
        int points = (int) Math.min(MAX_FAILED_ATTEMPT_POINTS, (long) failures * POINTS_PER_FAILED_ATTEMPT);
        StringBuilder reason = new StringBuilder();
        if (attempt.failedAttempts() > 0) {
            reason.append(plural(attempt.failedAttempts(), "failed attempt")).append(" reported for this login");
        }
        if (history.recentDenials() > 0) {
            if (!reason.isEmpty()) {
                reason.append("; ");
            }
            reason.append(plural(history.recentDenials(), "recently denied attempt")).append(" for this user");
        }
        return Optional.of(new RiskFactor(FAILED_ATTEMPTS, points, reason.toString()));
    }

    private static Optional<RiskFactor> device(LoginAttempt attempt, History history) {
        if (attempt.deviceFingerprint() == null) {
            return Optional.of(new RiskFactor(UNIDENTIFIED_DEVICE, UNIDENTIFIED_DEVICE_POINTS,
                    "no device fingerprint was provided"));
        }
        if (history.deviceKnown()) {
            return Optional.empty();
        }
        return Optional.of(new RiskFactor(NEW_DEVICE, NEW_DEVICE_POINTS, history.knownUser()
                ? "device never seen in this user's allowed logins"
                : "first recorded login for this user, from a device not seen before"));
    }

    private static Optional<RiskFactor> location(LoginAttempt attempt, History history) {
        LoginAttempt.Location location = attempt.location();
        if (location == null || location.country() == null || !history.knownLocations()) {
            return Optional.empty();
        }
        if (!history.countryKnown()) {
            return Optional.of(new RiskFactor(NEW_LOCATION, NEW_COUNTRY_POINTS,
                    "first login from country " + location.country()));
        }
        if (location.city() != null && !history.cityKnown()) {
            return Optional.of(new RiskFactor(NEW_LOCATION, NEW_CITY_POINTS,
                    "first login from " + location.describe()));
        }
        return Optional.empty();
    }

    private static Optional<RiskFactor> travel(LoginAttempt attempt, History history, Instant now) {
        PreviousLogin previous = history.previousLogin();
        LoginAttempt.Location here = attempt.location();
        if (previous == null || here == null || !here.hasPosition()) {
            return Optional.empty();
        }
        LoginAttempt.Location there = previous.location();
        double km = GreatCircle.distanceKm(there.latitude(), there.longitude(), here.latitude(), here.longitude());
        if (km < MIN_TRAVEL_KM) {
            return Optional.empty();
        }
        // the later of the two known times leaves the user the least time to travel
        Instant since = previous.at();
        if (attempt.previousLoginAt() != null && attempt.previousLoginAt().isAfter(since)) {
            since = attempt.previousLoginAt();
        }
        Duration elapsed = Duration.between(since, now);
        if (elapsed.compareTo(MIN_TRAVEL_TIME) < 0) {
            elapsed = MIN_TRAVEL_TIME;
        }
        double speed = km / (elapsed.toMillis() / 3_600_000.0);
        String trip = String.format(Locale.ROOT, "%.0f km from %s in %s (%.0f km/h)", km, there.describe(),
                describe(elapsed), speed);
        if (speed > AIRLINER_SPEED_KMH) {
            return Optional.of(new RiskFactor(IMPOSSIBLE_TRAVEL, IMPOSSIBLE_TRAVEL_POINTS,
                    trip + ", faster than an airliner (~900 km/h)"));
        }
        if (speed > UNLIKELY_SPEED_KMH) {
            return Optional.of(new RiskFactor(UNLIKELY_TRAVEL, UNLIKELY_TRAVEL_POINTS,
                    trip + ", possible only by a direct flight"));
        }
        return Optional.empty();
    }

    private Optional<RiskFactor> signals(List<Signal> signals, Instant now) {
        double points = 0;
        Signal strongest = null;
        double strongestPoints = 0;
        for (Signal signal : signals) {
            Duration age = Duration.between(signal.recordedAt(), now);
            double weight = signal.severity().points() * decay(age.isNegative() ? Duration.ZERO : age);
            points += weight;
            if (strongest == null || weight > strongestPoints) {
                strongest = signal;
                strongestPoints = weight;
            }
        }
        int rounded = (int) Math.min(MAX_SIGNAL_POINTS, Math.round(points));
        if (rounded < 1) {
            return Optional.empty();
        }
        Duration age = Duration.between(strongest.recordedAt(), now);
        String reason = plural(signals.size(), "recent threat signal") + " for this user; strongest: "
                + strongest.severity().value() + " " + strongest.type().value() + " reported "
                + describe(age.isNegative() ? Duration.ZERO : age) + " ago";
        return Optional.of(new RiskFactor(THREAT_SIGNALS, rounded, reason));
    }

    /** The share of a signal's weight left after it has aged: one half per half-life. */
    double decay(Duration age) {
        return Math.pow(0.5, (double) age.toMillis() / signalHalfLife.toMillis());
    }

    private static RiskFactor geoRestriction(Policy policy, LoginAttempt attempt) {
        Set<String> allowed = policy.allowedCountries();
        if (allowed.isEmpty()) {
            return null;
        }
        String country = attempt.location() == null ? null : attempt.location().country();
        String countries = String.join(", ", allowed.stream().sorted().toList());
        if (country == null) {
            return new RiskFactor(GEO_RESTRICTION, UNKNOWN_COUNTRY_POINTS, "login country unknown; policy '"
                    + policy.name() + "' allows logins only from " + countries);
        }
        if (!allowed.contains(country)) {
            return new RiskFactor(GEO_RESTRICTION, OUTSIDE_COUNTRIES_POINTS, "login from " + country
                    + "; policy '" + policy.name() + "' allows logins only from " + countries);
        }
        return null;
    }

    private static RiskFactor allowedHours(Policy policy, Instant now) {
        AllowedHours hours = policy.allowedHours();
        if (hours == null || hours.contains(now)) {
            return null;
        }
        String local = String.format(Locale.ROOT, "%02d:%02d", now.atZone(hours.zone()).getHour(),
                now.atZone(hours.zone()).getMinute());
        return new RiskFactor(OUTSIDE_ALLOWED_HOURS, OUTSIDE_HOURS_POINTS, "login at " + local + " "
                + hours.zone().getId() + "; policy '" + policy.name() + "' allows " + hours.describe());
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /** A duration as people say it: {@code 10 minutes}, {@code 3 hours}, {@code 2 days}. */
    static String describe(Duration duration) {
        long minutes = duration.toMinutes();
        if (minutes < 1) {
            return "less than a minute";
        }
        if (minutes < 120) {
            return plural((int) minutes, "minute");
        }
        long hours = duration.toHours();
        if (hours < 48) {
            return plural((int) hours, "hour");
        }
        return plural((int) Math.min(Integer.MAX_VALUE, duration.toDays()), "day");
    }
}
