package io.qnsp.auth.risk;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.auth.risk.TestLogins.LONDON;
import static io.qnsp.auth.risk.TestLogins.LYON;
import static io.qnsp.auth.risk.TestLogins.NEW_YORK;
import static io.qnsp.auth.risk.TestLogins.PARIS;
import static io.qnsp.auth.risk.TestLogins.TOKYO;
import static io.qnsp.auth.risk.TestLogins.of;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Login attempts scored over real HTTP against what auth-service stored before: the user's earlier evaluations,
 * the tenant's policies and reported threat signals. Each test works in a tenant of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class RiskEvaluationIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aNewDeviceOnAnotherContinentTenMinutesAfterTheLastLoginIsCriticalAndNamesBothFactors() {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant());
        JsonNode first = api.evaluated(of("alice").from(PARIS).device("alice-laptop").body());
        assertThat(first.get("riskLevel").asString()).isEqualTo("low");
        assertThat(first.get("recommendation").asString()).isEqualTo("allow");

        JsonNode tokyo = api.evaluated(of("alice").from(TOKYO).device("never-seen-phone")
                .previousLoginAt(Instant.now().minus(Duration.ofMinutes(10))).body());

        assertThat(tokyo.get("riskLevel").asString()).isIn("high", "critical");
        assertThat(factorNames(tokyo)).contains("new_device", "impossible_travel");
        JsonNode travel = factor(tokyo, "impossible_travel");
        assertThat(travel.get("score").asInt()).isEqualTo(45);
        assertThat(travel.get("reason").asString()).contains("Paris, FR").contains("km/h");
        // new device 25 + impossible travel 45 + first login from JP 15
        assertThat(tokyo.get("riskScore").asInt()).isEqualTo(85);
        assertThat(tokyo.get("riskLevel").asString()).isEqualTo("critical");
        assertThat(tokyo.get("recommendation").asString()).isEqualTo("deny");
        assertThat(tokyo.get("challengeType").isNull()).isTrue();
        assertThat(sumOfFactorScores(tokyo)).isEqualTo(tokyo.get("riskScore").asInt());
    }

    @Test
    void travelSpeedIsMeasuredFromThePreviousLogin() {
        String tenant = RiskApi.freshTenant();
        RiskApi api = RiskApi.of(port, tenant);
        Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10));
        storedLogin(tenant, "nina", PARIS, "nina-laptop", tenMinutesAgo);
        storedLogin(tenant, "omar", PARIS, "omar-laptop", Instant.now().minus(Duration.ofHours(1)));

        // Paris–London is ~343 km: in 10 minutes that is ~2060 km/h
        JsonNode nina = api.evaluated(of("nina").from(LONDON).device("nina-laptop").previousLoginAt(tenMinutesAgo)
                .body());
        assertThat(factorNames(nina)).containsExactly("impossible_travel", "new_location");
        assertThat(factor(nina, "impossible_travel").get("reason").asString()).contains("in 10 minutes")
                .containsPattern("\\(20[0-9]{2} km/h\\)");
        // in an hour, ~343 km/h: a train could do it
        JsonNode omar = api.evaluated(of("omar").from(LONDON).device("omar-laptop").body());
        assertThat(factorNames(omar)).containsExactly("new_location");
        assertThat(omar.get("riskScore").asInt()).isEqualTo(15);
    }

    @Test
    void aLoginMatchingTheUsersHistoryIsLowAndAllowed() {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant());
        JsonNode first = api.evaluated(of("bob").from(PARIS).device("bob-laptop").body());
        assertThat(factorNames(first)).containsExactly("new_device");
        assertThat(first.get("riskScore").asInt()).isEqualTo(25);

        JsonNode again = api.evaluated(of("bob").from(PARIS).device("bob-laptop")
                .previousLoginAt(Instant.now().minus(Duration.ofDays(1))).failedAttempts(0).body());

        assertThat(again.get("riskScore").asInt()).isZero();
        assertThat(again.get("riskLevel").asString()).isEqualTo("low");
        assertThat(again.get("recommendation").asString()).isEqualTo("allow");
        assertThat(again.get("factors").isEmpty()).isTrue();
        assertThat(again.has("challengeType")).isTrue();
        assertThat(again.get("challengeType").isNull()).isTrue();
        assertThat(again.get("evaluationId").asString()).isNotEqualTo(first.get("evaluationId").asString());
        assertThat(Instant.parse(again.get("evaluatedAt").asString())).isAfterOrEqualTo(
                Instant.parse(first.get("evaluatedAt").asString()));
    }

    @Test
    void aNearbyCityMomentsLaterIsImpossibleTravelAndANewLocation() {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant());
        api.evaluated(of("carol").from(PARIS).device("carol-phone").body());
        // Paris–Lyon is ~390 km, and the stored Paris login is seconds old
        JsonNode lyon = api.evaluated(of("carol").from(LYON).device("carol-phone").body());
        assertThat(factorNames(lyon)).containsExactly("impossible_travel", "new_location");
        assertThat(factor(lyon, "new_location").get("score").asInt()).isEqualTo(5);
    }

    @Test
    void failedAttemptsRaiseTheScoreAndDeniedAttemptsCountAsFailures() {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant());
        api.evaluated(of("dave").from(PARIS).device("dave-laptop").body());
        JsonNode clean = api.evaluated(of("dave").from(PARIS).device("dave-laptop").failedAttempts(0).body());
        assertThat(clean.get("riskScore").asInt()).isZero();

        JsonNode three = api.evaluated(of("dave").from(PARIS).device("dave-laptop").failedAttempts(3).body());
        assertThat(three.get("riskScore").asInt()).isEqualTo(30);
        assertThat(factor(three, "failed_attempts").get("score").asInt()).isEqualTo(30);
        assertThat(three.get("riskLevel").asString()).isEqualTo("medium");
        assertThat(three.get("recommendation").asString()).isEqualTo("challenge");
        assertThat(three.get("challengeType").asString()).isEqualTo("mfa");

        JsonNode many = api.evaluated(of("dave").from(PARIS).device("dave-laptop").failedAttempts(12).body());
        assertThat(factor(many, "failed_attempts").get("score").asInt()).isEqualTo(60);
        assertThat(many.get("riskLevel").asString()).isEqualTo("high");

        // a denied attempt (failures on a new device) is remembered as a failure for the next hour
        JsonNode denied = api.evaluated(of("dave").from(PARIS).device("stolen?").failedAttempts(6).body());
        assertThat(denied.get("recommendation").asString()).isEqualTo("deny");
        JsonNode next = api.evaluated(of("dave").from(PARIS).device("dave-laptop").body());
        assertThat(factor(next, "failed_attempts").get("score").asInt()).isEqualTo(10);
        assertThat(factor(next, "failed_attempts").get("reason").asString()).contains("1 recently denied attempt");
        // and the device of a denied attempt does not become familiar
        JsonNode stolenAgain = api.evaluated(of("dave").from(PARIS).device("stolen?").body());
        assertThat(factorNames(stolenAgain)).contains("new_device");
    }

    @Test
    void aGeoRestrictionRaisesTheLevelAndAppliesThePolicysAction() {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant(), "risk:write");
        String policyId = api.createdPolicy(Map.of("name", "EU only",
                "conditions", Map.of("geoRestrictions", List.of("fr", "DE")),
                "actions", Map.of("onHighRisk", "deny")));

        JsonNode fromParis = api.evaluated(of("erin").from(PARIS).device("erin-laptop").body());
        assertThat(fromParis.get("riskLevel").asString()).isEqualTo("low");
        assertThat(fromParis.get("recommendation").asString()).isEqualTo("allow");
        assertThat(fromParis.get("appliedPolicies").isEmpty()).isTrue();

        JsonNode fromNewYork = api.evaluated(of("frank").from(NEW_YORK).device("frank-laptop").body());
        assertThat(factorNames(fromNewYork)).containsExactly("geo_restriction", "new_device");
        assertThat(factor(fromNewYork, "geo_restriction").get("reason").asString()).contains("US").contains("DE, FR");
        assertThat(fromNewYork.get("riskScore").asInt()).isEqualTo(65);
        assertThat(fromNewYork.get("riskLevel").asString()).isEqualTo("high");
        assertThat(fromNewYork.get("recommendation").asString()).isEqualTo("deny");
        assertThat(fromNewYork.get("challengeType").isNull()).isTrue();
        assertThat(fromNewYork.get("appliedPolicies").get(0).get("policyId").asString()).isEqualTo(policyId);

        JsonNode unlocated = api.evaluated(of("gina").device("gina-laptop").body());
        assertThat(factor(unlocated, "geo_restriction").get("score").asInt()).isEqualTo(20);
        assertThat(unlocated.get("recommendation").asString()).isEqualTo("deny");

        // disabled, the policy no longer applies
        assertThat(api.put("/auth/risk/policies/{id}", Map.of("name", "EU only",
                "conditions", Map.of("geoRestrictions", List.of("FR", "DE")),
                "actions", Map.of("onHighRisk", "deny"), "enabled", false), policyId).getStatusCode().value())
                .isEqualTo(200);
        JsonNode afterDisabling = api.evaluated(of("henry").from(NEW_YORK).device("henry-laptop").body());
        assertThat(factorNames(afterDisabling)).containsExactly("new_device");
        assertThat(afterDisabling.get("recommendation").asString()).isEqualTo("allow");
    }

    @Test
    void loginsOutsideAllowedHoursAreChallengedWithThePolicysChallenge() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        int hour = ZonedDateTime.now(kolkata).getHour();
        // allowed: every hour but the previous, the current and the next one (wraps midnight for most hours)
        RiskApi closed = RiskApi.of(port, RiskApi.freshTenant(), "risk:write");
        closed.createdPolicy(Map.of("name", "night shift",
                "conditions", Map.of("timeRestrictions", Map.of(
                        "allowedHours", Map.of("start", (hour + 2) % 24, "end", (hour + 23) % 24),
                        "timezone", "Asia/Kolkata")),
                "actions", Map.of("onHighRisk", "challenge", "challengeType", "captcha")));
        JsonNode outside = closed.evaluated(of("ivan").from(PARIS).device("ivan-laptop").body());
        assertThat(factorNames(outside)).containsExactly("new_device", "outside_allowed_hours");
        assertThat(factor(outside, "outside_allowed_hours").get("reason").asString()).contains("Asia/Kolkata");
        assertThat(outside.get("riskScore").asInt()).isEqualTo(45);
        assertThat(outside.get("riskLevel").asString()).isEqualTo("medium");
        assertThat(outside.get("recommendation").asString()).isEqualTo("challenge");
        assertThat(outside.get("challengeType").asString()).isEqualTo("captcha");

        RiskApi open = RiskApi.of(port, RiskApi.freshTenant(), "risk:write");
        open.createdPolicy(Map.of("name", "around now",
                "conditions", Map.of("timeRestrictions", Map.of(
                        "allowedHours", Map.of("start", (hour + 22) % 24, "end", (hour + 2) % 24),
                        "timezone", "Asia/Kolkata")),
                "actions", Map.of("onHighRisk", "challenge", "challengeType", "captcha")));
        JsonNode inside = open.evaluated(of("ivan").from(PARIS).device("ivan-laptop").body());
        assertThat(factorNames(inside)).containsExactly("new_device");
        assertThat(inside.get("recommendation").asString()).isEqualTo("allow");
    }

    @Test
    void aLowThresholdChallengesWhatTheBandsWouldAllow() {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant(), "risk:write");
        String strict = api.createdPolicy(Map.of("name", "strict",
                "conditions", Map.of("riskScoreThreshold", 20),
                "actions", Map.of("onHighRisk", "challenge", "challengeType", "email_verification")));
        api.createdPolicy(Map.of("name", "disabled deny-all", "enabled", false,
                "conditions", Map.of("riskScoreThreshold", 0), "actions", Map.of("onHighRisk", "deny")));

        JsonNode firstLogin = api.evaluated(of("judy").from(PARIS).device("judy-laptop").body());
        assertThat(firstLogin.get("riskScore").asInt()).isEqualTo(25);
        assertThat(firstLogin.get("riskLevel").asString()).isEqualTo("low");
        assertThat(firstLogin.get("recommendation").asString()).isEqualTo("challenge");
        assertThat(firstLogin.get("challengeType").asString()).isEqualTo("email_verification");
        assertThat(firstLogin.get("appliedPolicies")).hasSize(1);
        assertThat(firstLogin.get("appliedPolicies").get(0).get("policyId").asString()).isEqualTo(strict);
        assertThat(firstLogin.get("appliedPolicies").get(0).get("action").asString()).isEqualTo("challenge");

        // a challenged login is not history yet: the device is still new, so the policy still applies
        JsonNode again = api.evaluated(of("judy").from(PARIS).device("judy-laptop").body());
        assertThat(again.get("recommendation").asString()).isEqualTo("challenge");
    }

    @Test
    void aCriticalThreatSignalForTheUserRaisesTheScore() {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant(), "risk:write");
        api.evaluated(of("kim").from(PARIS).device("kim-laptop").body());
        JsonNode before = api.evaluated(of("kim").from(PARIS).device("kim-laptop").body());
        assertThat(before.get("riskScore").asInt()).isZero();

        assertThat(api.reportSignal(Map.of("userId", "kim", "signalType", "credential_stuffing",
                "severity", "critical")).getStatusCode().value()).isEqualTo(201);
        assertThat(api.reportSignal(Map.of("userId", "someone-else", "signalType", "brute_force",
                "severity", "critical")).getStatusCode().value()).isEqualTo(201);

        JsonNode after = api.evaluated(of("kim").from(PARIS).device("kim-laptop").body());
        assertThat(factorNames(after)).containsExactly("threat_signals");
        assertThat(after.get("riskScore").asInt()).isBetween(59, 60);
        assertThat(after.get("riskLevel").asString()).isIn("medium", "high");
        assertThat(after.get("recommendation").asString()).isEqualTo("challenge");
        assertThat(factor(after, "threat_signals").get("reason").asString()).contains("critical credential_stuffing");

        JsonNode low = api.evaluated(of("lee").from(PARIS).device("lee-laptop").body());
        api.reportSignal(Map.of("userId", "lee", "signalType", "new_device", "severity", "low"));
        JsonNode lowAfter = api.evaluated(of("lee").from(PARIS).device("lee-laptop").body());
        assertThat(low.get("riskScore").asInt()).isEqualTo(25);
        assertThat(factor(lowAfter, "threat_signals").get("score").asInt()).isEqualTo(5);
    }

    @Test
    void evaluationsWithoutLocationOrDeviceStillScore() {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant());
        JsonNode bare = api.evaluated(Map.of("userId", "minimal"));
        assertThat(factorNames(bare)).containsExactly("unidentified_device");
        assertThat(bare.get("riskScore").asInt()).isEqualTo(10);
        assertThat(bare.get("recommendation").asString()).isEqualTo("allow");
    }

    /** An allowed login of the user, stored as if it had been evaluated at the instant. */
    private void storedLogin(String tenant, String user, TestLogins.City city, String device, Instant at) {
        jdbc.update("INSERT INTO risk_evaluation (id, tenant_id, user_id, evaluated_at, device_hash, country, city,"
                        + " latitude, longitude, failed_attempts, risk_score, risk_level, recommendation)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 'low', 'allow')",
                UUID.randomUUID(), tenant, user, Timestamp.from(at), RiskEvaluationManagement.digest(device),
                city.country(), city.city(), city.latitude(), city.longitude());
    }

    static List<String> factorNames(JsonNode evaluation) {
        List<String> names = new ArrayList<>();
        evaluation.get("factors").forEach(f -> names.add(f.get("name").asString()));
        return names;
    }

    static JsonNode factor(JsonNode evaluation, String name) {
        for (JsonNode factor : evaluation.get("factors")) {
            if (factor.get("name").asString().equals(name)) {
                return factor;
            }
        }
        throw new AssertionError("no factor " + name + " in " + evaluation);
    }

    static int sumOfFactorScores(JsonNode evaluation) {
        int sum = 0;
        for (JsonNode factor : evaluation.get("factors")) {
            sum += factor.get("score").asInt();
        }
        return Math.min(100, sum);
    }
}
