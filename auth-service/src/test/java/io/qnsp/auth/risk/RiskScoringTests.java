package io.qnsp.auth.risk;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The scoring pieces on their own: distances, bands, hour windows, signal decay and how factors combine. */
class RiskScoringTests {

    static final Instant NOW = Instant.parse("2025-06-15T12:00:00Z");
    static final LoginAttempt.Location PARIS = new LoginAttempt.Location("FR", "Paris", 48.8566, 2.3522);
    static final LoginAttempt.Location LYON = new LoginAttempt.Location("FR", "Lyon", 45.7640, 4.8357);
    static final LoginAttempt.Location LONDON = new LoginAttempt.Location("GB", "London", 51.5074, -0.1278);
    static final LoginAttempt.Location TOKYO = new LoginAttempt.Location("JP", "Tokyo", 35.6762, 139.6503);

    final RiskScoring scoring = new RiskScoring(Duration.ofHours(24), ChallengeType.MFA);

    @Nested
    class Haversine {

        @Test
        void knownCityDistances() {
            assertThat(GreatCircle.distanceKm(48.8566, 2.3522, 51.5074, -0.1278)).isCloseTo(343.5, within(1.0));
            assertThat(GreatCircle.distanceKm(48.8566, 2.3522, 40.7128, -74.0060)).isCloseTo(5837, within(5.0));
            assertThat(GreatCircle.distanceKm(48.8566, 2.3522, 35.6762, 139.6503)).isCloseTo(9712, within(10.0));
        }

        @Test
        void isSymmetricAndZeroForTheSamePoint() {
            assertThat(GreatCircle.distanceKm(10, 20, 10, 20)).isZero();
            assertThat(GreatCircle.distanceKm(48.8566, 2.3522, 35.6762, 139.6503))
                    .isCloseTo(GreatCircle.distanceKm(35.6762, 139.6503, 48.8566, 2.3522), within(1e-9));
        }

        @Test
        void antipodesAreHalfTheCircumferenceAndTheDateLineIsCrossedTheShortWay() {
            assertThat(GreatCircle.distanceKm(0, 0, 0, 180)).isCloseTo(Math.PI * GreatCircle.EARTH_RADIUS_KM,
                    within(1e-6));
            assertThat(GreatCircle.distanceKm(90, 0, -90, 0)).isCloseTo(Math.PI * GreatCircle.EARTH_RADIUS_KM,
                    within(1e-6));
            // one degree of longitude at the equator, across the antimeridian
            assertThat(GreatCircle.distanceKm(0, 179.5, 0, -179.5)).isCloseTo(111.2, within(0.1));
        }
    }

    @Nested
    class Bands {

        @Test
        void scoresFallInDocumentedBands() {
            assertThat(RiskLevel.of(0)).isEqualTo(RiskLevel.LOW);
            assertThat(RiskLevel.of(29)).isEqualTo(RiskLevel.LOW);
            assertThat(RiskLevel.of(30)).isEqualTo(RiskLevel.MEDIUM);
            assertThat(RiskLevel.of(59)).isEqualTo(RiskLevel.MEDIUM);
            assertThat(RiskLevel.of(60)).isEqualTo(RiskLevel.HIGH);
            assertThat(RiskLevel.of(79)).isEqualTo(RiskLevel.HIGH);
            assertThat(RiskLevel.of(80)).isEqualTo(RiskLevel.CRITICAL);
            assertThat(RiskLevel.of(100)).isEqualTo(RiskLevel.CRITICAL);
        }

        @Test
        void scoresOutsideZeroToHundredAreRefused() {
            assertThatThrownBy(() -> RiskLevel.of(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RiskLevel.of(101)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void withoutPoliciesTheBandDecides() {
            assertThat(decisionFor(29).recommendation()).isEqualTo(Recommendation.ALLOW);
            assertThat(decisionFor(29).challengeType()).isNull();
            assertThat(decisionFor(30).recommendation()).isEqualTo(Recommendation.CHALLENGE);
            assertThat(decisionFor(30).challengeType()).isEqualTo(ChallengeType.MFA);
            assertThat(decisionFor(79).recommendation()).isEqualTo(Recommendation.CHALLENGE);
            assertThat(decisionFor(80).recommendation()).isEqualTo(Recommendation.DENY);
            assertThat(decisionFor(80).challengeType()).isNull();
        }

        /** An attempt scoring exactly {@code score}: failed attempts (10 points each, at most 60) and a signal. */
        private RiskScoring.Outcome decisionFor(int score) {
            RiskScoring.History history = new RiskScoring.History(true, true, false, false, false, null, 0);
            int attempts = Math.min(6, score / 10);
            int rest = score - attempts * 10;
            RiskScoring.Outcome outcome = scoring.assess(attempt(PARIS, "device", attempts), history, List.of(),
                    rest == 0 ? List.of() : List.of(signalWorth(rest)), NOW);
            assertThat(outcome.score()).isEqualTo(score);
            return outcome;
        }

        /** A signal that has decayed to exactly {@code points}. */
        private RiskScoring.Signal signalWorth(int points) {
            double ageInHalfLives = Math.log((double) Severity.CRITICAL.points() / points) / Math.log(2);
            Duration age = Duration.ofMillis((long) (ageInHalfLives * Duration.ofHours(24).toMillis()));
            return new RiskScoring.Signal(SignalType.SUSPICIOUS_LOGIN, Severity.CRITICAL, NOW.minus(age));
        }
    }

    @Nested
    class HourWindows {

        final ZoneId utc = ZoneId.of("UTC");

        @Test
        void aDaytimeWindowIncludesItsStartAndExcludesItsEnd() {
            AllowedHours office = new AllowedHours(9, 17, utc);
            assertThat(office.contains(Instant.parse("2025-06-15T09:00:00Z"))).isTrue();
            assertThat(office.contains(Instant.parse("2025-06-15T16:59:59Z"))).isTrue();
            assertThat(office.contains(Instant.parse("2025-06-15T17:00:00Z"))).isFalse();
            assertThat(office.contains(Instant.parse("2025-06-15T08:59:59Z"))).isFalse();
        }

        @Test
        void aWindowEndingBeforeItStartsWrapsMidnight() {
            AllowedHours night = new AllowedHours(22, 6, utc);
            assertThat(night.contains(Instant.parse("2025-06-15T22:00:00Z"))).isTrue();
            assertThat(night.contains(Instant.parse("2025-06-15T23:30:00Z"))).isTrue();
            assertThat(night.contains(Instant.parse("2025-06-16T00:00:00Z"))).isTrue();
            assertThat(night.contains(Instant.parse("2025-06-16T05:59:59Z"))).isTrue();
            assertThat(night.contains(Instant.parse("2025-06-16T06:00:00Z"))).isFalse();
            assertThat(night.contains(Instant.parse("2025-06-15T21:59:59Z"))).isFalse();
            assertThat(night.contains(Instant.parse("2025-06-15T12:00:00Z"))).isFalse();
        }

        @Test
        void endingAtMidnightIsAWrapToHourZero() {
            AllowedHours evening = new AllowedHours(18, 0, utc);
            assertThat(evening.contains(Instant.parse("2025-06-15T23:59:59Z"))).isTrue();
            assertThat(evening.contains(Instant.parse("2025-06-15T00:00:00Z"))).isFalse();
            assertThat(evening.contains(Instant.parse("2025-06-15T17:59:59Z"))).isFalse();
        }

        @Test
        void hoursAreReadOnTheZonesWallClockWithDaylightSaving() {
            AllowedHours paris = AllowedHours.of(9, 17, "Europe/Paris");
            // summer: UTC+2, so 07:30Z is 09:30 in Paris
            assertThat(paris.contains(Instant.parse("2025-06-15T07:30:00Z"))).isTrue();
            assertThat(paris.contains(Instant.parse("2025-06-15T15:30:00Z"))).isFalse();
            // winter: UTC+1, so 07:30Z is 08:30 in Paris
            assertThat(paris.contains(Instant.parse("2025-01-15T07:30:00Z"))).isFalse();
            assertThat(paris.contains(Instant.parse("2025-01-15T15:30:00Z"))).isTrue();
        }

        @Test
        void windowsAreValidatedNamingTheField() {
            assertThatThrownBy(() -> AllowedHours.of(24, 5, "UTC")).isInstanceOf(InvalidRiskInput.class)
                    .extracting(e -> ((InvalidRiskInput) e).details().get("field"))
                    .isEqualTo("conditions.timeRestrictions.allowedHours.start");
            assertThatThrownBy(() -> AllowedHours.of(5, -1, "UTC")).isInstanceOf(InvalidRiskInput.class)
                    .extracting(e -> ((InvalidRiskInput) e).details().get("field"))
                    .isEqualTo("conditions.timeRestrictions.allowedHours.end");
            assertThatThrownBy(() -> AllowedHours.of(8, 8, "UTC")).isInstanceOf(InvalidRiskInput.class);
            assertThatThrownBy(() -> AllowedHours.of(8, 17, "Mars/Olympus_Mons")).isInstanceOf(InvalidRiskInput.class)
                    .extracting(e -> ((InvalidRiskInput) e).details().get("field"))
                    .isEqualTo("conditions.timeRestrictions.timezone");
            assertThatThrownBy(() -> AllowedHours.of(8, 17, "+02:00")).isInstanceOf(InvalidRiskInput.class);
            assertThat(AllowedHours.of(8, 17, null).zone()).isEqualTo(ZoneId.of("UTC"));
        }
    }

    @Nested
    class Factors {

        final RiskScoring.History known = new RiskScoring.History(true, true, true, true, true,
                new RiskScoring.PreviousLogin(PARIS, NOW.minus(Duration.ofDays(1))), 0);

        @Test
        void aLoginMatchingTheHistoryScoresZero() {
            RiskScoring.Outcome outcome = scoring.assess(attempt(PARIS, "d", 0), known, List.of(), List.of(), NOW);
            assertThat(outcome.score()).isZero();
            assertThat(outcome.factors()).isEmpty();
            assertThat(outcome.level()).isEqualTo(RiskLevel.LOW);
            assertThat(outcome.recommendation()).isEqualTo(Recommendation.ALLOW);
        }

        @Test
        void failedAttemptsAddTenPointsEachUpToSixty() {
            assertThat(scoring.assess(attempt(PARIS, "d", 2), known, List.of(), List.of(), NOW).score())
                    .isEqualTo(20);
            RiskScoring.History withDenials = new RiskScoring.History(true, true, true, true, true, null, 2);
            RiskScoring.Outcome outcome = scoring.assess(attempt(PARIS, "d", 1), withDenials, List.of(), List.of(),
                    NOW);
            assertThat(outcome.score()).isEqualTo(30);
            assertThat(outcome.factors().getFirst().reason()).contains("1 failed attempt")
                    .contains("2 recently denied attempts");
            assertThat(scoring.assess(attempt(PARIS, "d", 50), known, List.of(), List.of(), NOW).score())
                    .isEqualTo(RiskScoring.MAX_FAILED_ATTEMPT_POINTS);
        }

        @Test
        void aNewDeviceAnUnidentifiedOneAndANewLocationAreFactors() {
            RiskScoring.History unknownDevice = new RiskScoring.History(true, false, true, true, false, null, 0);
            RiskScoring.Outcome outcome = scoring.assess(attempt(LYON, "other", 0), unknownDevice, List.of(),
                    List.of(), NOW);
            assertThat(outcome.factors()).extracting(RiskFactor::name, RiskFactor::score).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(RiskScoring.NEW_DEVICE, 25),
                    org.assertj.core.groups.Tuple.tuple(RiskScoring.NEW_LOCATION, 5));
            RiskScoring.History newCountry = new RiskScoring.History(true, true, true, false, false, null, 0);
            assertThat(scoring.assess(attempt(LONDON, null, 0), newCountry, List.of(), List.of(), NOW).factors())
                    .extracting(RiskFactor::name, RiskFactor::score).containsExactly(
                            org.assertj.core.groups.Tuple.tuple(RiskScoring.NEW_LOCATION, 15),
                            org.assertj.core.groups.Tuple.tuple(RiskScoring.UNIDENTIFIED_DEVICE, 10));
        }

        @Test
        void aFirstLoginIsANewDeviceButNotANewLocation() {
            RiskScoring.Outcome outcome = scoring.assess(attempt(TOKYO, "d", 0), RiskScoring.History.none(),
                    List.of(), List.of(), NOW);
            assertThat(outcome.factors()).extracting(RiskFactor::name).containsExactly(RiskScoring.NEW_DEVICE);
            assertThat(outcome.factors().getFirst().reason()).contains("first recorded login");
            assertThat(outcome.level()).isEqualTo(RiskLevel.LOW);
        }

        @Test
        void travellingFasterThanAnAirlinerIsImpossible() {
            RiskScoring.History parisTenMinutesAgo = new RiskScoring.History(true, true, true, true, true,
                    new RiskScoring.PreviousLogin(PARIS, NOW.minus(Duration.ofMinutes(10))), 0);
            RiskScoring.Outcome outcome = scoring.assess(attempt(TOKYO, "d", 0), parisTenMinutesAgo, List.of(),
                    List.of(), NOW);
            RiskFactor travel = factor(outcome, RiskScoring.IMPOSSIBLE_TRAVEL);
            assertThat(travel.score()).isEqualTo(RiskScoring.IMPOSSIBLE_TRAVEL_POINTS);
            assertThat(travel.reason()).contains("Paris, FR").contains("10 minutes");
        }

        @Test
        void theLaterOfReportedAndStoredPreviousLoginCounts() {
            // stored two days ago, but the caller says the user logged in 30 minutes ago: Paris–London in 30 minutes
            RiskScoring.History twoDaysAgo = new RiskScoring.History(true, true, true, true, true,
                    new RiskScoring.PreviousLogin(PARIS, NOW.minus(Duration.ofDays(2))), 0);
            LoginAttempt fromLondon = new LoginAttempt("u", null, null, LONDON, "d",
                    NOW.minus(Duration.ofMinutes(30)), 0);
            assertThat(scoring.assess(fromLondon, twoDaysAgo, List.of(), List.of(), NOW).factors())
                    .extracting(RiskFactor::name).contains(RiskScoring.UNLIKELY_TRAVEL);
            // reported earlier than the stored one: the stored one stands
            LoginAttempt reportedLongAgo = new LoginAttempt("u", null, null, LONDON, "d",
                    NOW.minus(Duration.ofDays(5)), 0);
            RiskScoring.History thirtyMinutesAgo = new RiskScoring.History(true, true, true, true, true,
                    new RiskScoring.PreviousLogin(PARIS, NOW.minus(Duration.ofMinutes(30))), 0);
            assertThat(scoring.assess(reportedLongAgo, thirtyMinutesAgo, List.of(), List.of(), NOW).factors())
                    .extracting(RiskFactor::name).contains(RiskScoring.UNLIKELY_TRAVEL);
        }

        @Test
        void travelThresholds() {
            // Paris–London 343 km: 20 minutes is ~1030 km/h, 30 minutes ~687 km/h, 1 hour ~343 km/h
            assertThat(travelFactor(LONDON, Duration.ofMinutes(20))).isEqualTo(RiskScoring.IMPOSSIBLE_TRAVEL);
            assertThat(travelFactor(LONDON, Duration.ofMinutes(30))).isEqualTo(RiskScoring.UNLIKELY_TRAVEL);
            assertThat(travelFactor(LONDON, Duration.ofHours(1))).isNull();
            // a hop shorter than the minimum distance says nothing, however quick
            LoginAttempt.Location versailles = new LoginAttempt.Location("FR", "Versailles", 48.8049, 2.1204);
            assertThat(travelFactor(versailles, Duration.ZERO)).isNull();
        }

        @Test
        void aCriticalFreshSignalWeighsSixtyAndHalvesEachHalfLife() {
            RiskScoring.Signal fresh = new RiskScoring.Signal(SignalType.CREDENTIAL_STUFFING, Severity.CRITICAL, NOW);
            RiskScoring.Outcome outcome = scoring.assess(attempt(PARIS, "d", 0), known, List.of(), List.of(fresh),
                    NOW);
            assertThat(factor(outcome, RiskScoring.THREAT_SIGNALS).score()).isEqualTo(60);
            assertThat(outcome.level()).isEqualTo(RiskLevel.HIGH);
            RiskScoring.Signal dayOld = new RiskScoring.Signal(SignalType.BRUTE_FORCE, Severity.CRITICAL,
                    NOW.minus(Duration.ofHours(24)));
            assertThat(factor(scoring.assess(attempt(PARIS, "d", 0), known, List.of(), List.of(dayOld), NOW),
                    RiskScoring.THREAT_SIGNALS).score()).isEqualTo(30);
            assertThat(scoring.decay(Duration.ofHours(48))).isCloseTo(0.25, within(1e-9));
            RiskScoring.Signal low = new RiskScoring.Signal(SignalType.NEW_DEVICE, Severity.LOW,
                    NOW.minus(Duration.ofDays(10)));
            assertThat(scoring.assess(attempt(PARIS, "d", 0), known, List.of(), List.of(low), NOW).factors())
                    .isEmpty();
            List<RiskScoring.Signal> many = List.of(fresh, fresh, fresh);
            assertThat(factor(scoring.assess(attempt(PARIS, "d", 0), known, List.of(), many, NOW),
                    RiskScoring.THREAT_SIGNALS).score()).isEqualTo(RiskScoring.MAX_SIGNAL_POINTS);
        }

        @Test
        void theScoreIsCappedAtOneHundred() {
            RiskScoring.History hostile = new RiskScoring.History(true, false, true, false, false,
                    new RiskScoring.PreviousLogin(PARIS, NOW.minus(Duration.ofMinutes(5))), 3);
            RiskScoring.Outcome outcome = scoring.assess(attempt(TOKYO, "new", 9), hostile, List.of(), List.of(),
                    NOW);
            assertThat(outcome.score()).isEqualTo(100);
            assertThat(outcome.level()).isEqualTo(RiskLevel.CRITICAL);
            assertThat(outcome.recommendation()).isEqualTo(Recommendation.DENY);
            assertThat(outcome.factors()).extracting(RiskFactor::score).isSortedAccordingTo((a, b) -> b - a);
        }

        private String travelFactor(LoginAttempt.Location to, Duration after) {
            RiskScoring.History history = new RiskScoring.History(true, true, true, true, true,
                    new RiskScoring.PreviousLogin(PARIS, NOW.minus(after)), 0);
            return scoring.assess(attempt(to, "d", 0), history, List.of(), List.of(), NOW).factors().stream()
                    .map(RiskFactor::name)
                    .filter(n -> n.equals(RiskScoring.IMPOSSIBLE_TRAVEL) || n.equals(RiskScoring.UNLIKELY_TRAVEL))
                    .findFirst().orElse(null);
        }
    }

    @Nested
    class Policies {

        final RiskScoring.History known = new RiskScoring.History(true, true, true, true, true, null, 0);

        @Test
        void aThresholdAtOrBelowTheScoreAppliesThePolicysAction() {
            RiskScoring.Policy strict = policy("strict", 20, Set.of(), null, HighRiskAction.CHALLENGE,
                    ChallengeType.EMAIL_VERIFICATION);
            RiskScoring.Outcome at = scoring.assess(attempt(PARIS, "d", 2), known, List.of(strict), List.of(), NOW);
            assertThat(at.level()).isEqualTo(RiskLevel.LOW);
            assertThat(at.recommendation()).isEqualTo(Recommendation.CHALLENGE);
            assertThat(at.challengeType()).isEqualTo(ChallengeType.EMAIL_VERIFICATION);
            assertThat(at.appliedPolicies()).extracting(AppliedPolicy::name).containsExactly("strict");
            RiskScoring.Outcome below = scoring.assess(attempt(PARIS, "d", 1), known, List.of(strict), List.of(),
                    NOW);
            assertThat(below.recommendation()).isEqualTo(Recommendation.ALLOW);
            assertThat(below.appliedPolicies()).isEmpty();
        }

        @Test
        void policiesOnlyTightenTheDecision() {
            RiskScoring.Policy lenient = policy("lenient", 10, Set.of(), null, HighRiskAction.CHALLENGE,
                    ChallengeType.CAPTCHA);
            RiskScoring.History newDevice = new RiskScoring.History(true, false, true, true, true, null, 0);
            RiskScoring.Outcome critical = scoring.assess(attempt(PARIS, "d", 9), newDevice, List.of(lenient),
                    List.of(), NOW);
            assertThat(critical.level()).isEqualTo(RiskLevel.CRITICAL);
            assertThat(critical.recommendation()).isEqualTo(Recommendation.DENY);
            assertThat(critical.challengeType()).isNull();
            RiskScoring.Policy deny = policy("deny", 30, Set.of(), null, HighRiskAction.DENY, ChallengeType.MFA);
            assertThat(scoring.assess(attempt(PARIS, "d", 3), known, List.of(deny), List.of(), NOW)
                    .recommendation()).isEqualTo(Recommendation.DENY);
        }

        @Test
        void theStrongestChallengeAmongApplyingPoliciesWinsOverTheDefault() {
            RiskScoring.Policy captcha = policy("captcha", 0, Set.of(), null, HighRiskAction.CHALLENGE,
                    ChallengeType.CAPTCHA);
            RiskScoring.Policy email = policy("email", 0, Set.of(), null, HighRiskAction.CHALLENGE,
                    ChallengeType.EMAIL_VERIFICATION);
            assertThat(scoring.assess(attempt(PARIS, "d", 0), known, List.of(captcha), List.of(), NOW)
                    .challengeType()).isEqualTo(ChallengeType.CAPTCHA);
            // medium on its own would ask for mfa; the tenant's policy names captcha
            assertThat(scoring.assess(attempt(PARIS, "d", 4), known, List.of(captcha), List.of(), NOW)
                    .challengeType()).isEqualTo(ChallengeType.CAPTCHA);
            assertThat(scoring.assess(attempt(PARIS, "d", 0), known, List.of(captcha, email), List.of(), NOW)
                    .challengeType()).isEqualTo(ChallengeType.EMAIL_VERIFICATION);
        }

        @Test
        void aLoginOutsideTheAllowedCountriesIsAFactorAndAppliesThePolicy() {
            RiskScoring.Policy europe = policy("europe", null, Set.of("FR", "DE"), null, HighRiskAction.DENY,
                    ChallengeType.MFA);
            RiskScoring.Outcome fromJapan = scoring.assess(attempt(TOKYO, "d", 0), known, List.of(europe), List.of(),
                    NOW);
            RiskFactor geo = factor(fromJapan, RiskScoring.GEO_RESTRICTION);
            assertThat(geo.score()).isEqualTo(RiskScoring.OUTSIDE_COUNTRIES_POINTS);
            assertThat(geo.reason()).contains("JP").contains("DE, FR").contains("europe");
            assertThat(fromJapan.level()).isEqualTo(RiskLevel.MEDIUM);
            assertThat(fromJapan.recommendation()).isEqualTo(Recommendation.DENY);
            RiskScoring.Outcome nowhere = scoring.assess(new LoginAttempt("u", null, null, null, "d", null, 0), known,
                    List.of(europe), List.of(), NOW);
            assertThat(factor(nowhere, RiskScoring.GEO_RESTRICTION).score())
                    .isEqualTo(RiskScoring.UNKNOWN_COUNTRY_POINTS);
            assertThat(nowhere.recommendation()).isEqualTo(Recommendation.DENY);
            assertThat(scoring.assess(attempt(PARIS, "d", 0), known, List.of(europe), List.of(), NOW)
                    .recommendation()).isEqualTo(Recommendation.ALLOW);
        }

        @Test
        void aLoginOutsideAllowedHoursIsAFactorAndAppliesThePolicy() {
            RiskScoring.Policy office = policy("office", null, Set.of(), AllowedHours.of(8, 12, "UTC"),
                    HighRiskAction.CHALLENGE, ChallengeType.CAPTCHA);
            RiskScoring.Outcome noon = scoring.assess(attempt(PARIS, "d", 0), known, List.of(office), List.of(), NOW);
            assertThat(factor(noon, RiskScoring.OUTSIDE_ALLOWED_HOURS).reason()).contains("12:00 UTC")
                    .contains("08:00–12:00 UTC");
            assertThat(noon.score()).isEqualTo(RiskScoring.OUTSIDE_HOURS_POINTS);
            assertThat(noon.recommendation()).isEqualTo(Recommendation.CHALLENGE);
            assertThat(noon.challengeType()).isEqualTo(ChallengeType.CAPTCHA);
            RiskScoring.Outcome morning = scoring.assess(attempt(PARIS, "d", 0), known, List.of(office), List.of(),
                    NOW.minus(Duration.ofHours(2)));
            assertThat(morning.factors()).isEmpty();
            assertThat(morning.recommendation()).isEqualTo(Recommendation.ALLOW);
        }

        @Test
        void twoViolatedPoliciesGiveOneFactorWithTheHigherScore() {
            RiskScoring.Policy a = policy("a", null, Set.of("FR"), null, HighRiskAction.CHALLENGE, ChallengeType.MFA);
            RiskScoring.Policy b = policy("b", null, Set.of("DE"), null, HighRiskAction.CHALLENGE, ChallengeType.MFA);
            RiskScoring.Outcome outcome = scoring.assess(attempt(TOKYO, "d", 0), known, List.of(a, b), List.of(),
                    NOW);
            assertThat(outcome.factors()).extracting(RiskFactor::name).containsExactly(RiskScoring.GEO_RESTRICTION);
            assertThat(outcome.appliedPolicies()).hasSize(2);
        }

        private RiskScoring.Policy policy(String name, Integer threshold, Set<String> countries, AllowedHours hours,
                                          HighRiskAction action, ChallengeType challenge) {
            return new RiskScoring.Policy(UUID.randomUUID(), name, threshold, countries, hours, action, challenge);
        }
    }

    @Test
    void loginAttemptsAreValidatedNamingTheField() {
        assertField(() -> new LoginAttempt.Location("XX", null, null, null), "geoLocation.country");
        assertField(() -> new LoginAttempt.Location(null, null, 90.5, 0.0), "geoLocation.latitude");
        assertField(() -> new LoginAttempt.Location(null, null, 0.0, -180.5), "geoLocation.longitude");
        assertField(() -> new LoginAttempt.Location(null, null, 10.0, null), "geoLocation.longitude");
        assertField(() -> new LoginAttempt("u", "10.1", null, null, null, null, 0), "ipAddress");
        assertField(() -> new LoginAttempt("u", "example.com", null, null, null, null, 0), "ipAddress");
        assertField(() -> new LoginAttempt("u", null, null, null, null, null, -1), "sessionContext.failedAttempts");
        assertThat(new LoginAttempt("u", "2001:db8::1", null, null, null, null, 0).ipAddress())
                .isEqualTo("2001:db8::1");
        assertThat(new LoginAttempt.Location("fr", null, null, null).country()).isEqualTo("FR");
    }

    private static void assertField(Runnable construction, String field) {
        assertThatThrownBy(construction::run).isInstanceOf(InvalidRiskInput.class)
                .extracting(e -> ((InvalidRiskInput) e).details().get("field")).isEqualTo(field);
    }

    static LoginAttempt attempt(LoginAttempt.Location location, String device, int failedAttempts) {
        return new LoginAttempt("user-1", "203.0.113.7", "test", location, device, null, failedAttempts);
    }

    static RiskFactor factor(RiskScoring.Outcome outcome, String name) {
        return outcome.factors().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no factor " + name + " in " + outcome.factors()));
    }
}
