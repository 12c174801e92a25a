package io.qnsp.vault.leak;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.vault.VaultScopes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static io.qnsp.vault.leak.LeakApi.BASE;
import static io.qnsp.vault.leak.LeakApi.assertFieldRefused;
import static io.qnsp.vault.leak.LeakApi.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

/** Incidents reported by hand, their status changes and timeline, the per-secret check and the statistics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class LeakIncidentIntegrationTests {

    private static final String INCIDENTS = BASE + "/incidents";

    @LocalServerPort
    int port;

    String tenant;
    LeakApi api;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = LeakApi.of(port, tenant, "secops-alice", LeakApi.ALL_SCOPES);
    }

    @Test
    void aReportedIncidentMovesThroughItsStatusesWithATimeline() {
        api.storeSecret("stripe-key", TestLeaks.password());
        Instant detectedAt = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        JsonNode reported = expect(api.post(INCIDENTS, body("secretId", "stripe-key", "source", "Slack",
                "location", "https://example.slack.com/archives/C01/p123", "detectedAt", detectedAt.toString(),
                "severity", "high", "details", body("channel", "#general", "messages", 2))), 201);
        String incidentId = reported.get("incidentId").asString();
        assertThat(reported.get("status").asString()).isEqualTo("open");

        JsonNode incident = api.incident(incidentId);
        assertThat(incident.get("secretId").asString()).isEqualTo("stripe-key");
        assertThat(incident.get("source").asString()).isEqualTo("slack");
        assertThat(Instant.parse(incident.get("detectedAt").asString())).isEqualTo(detectedAt);
        assertThat(incident.get("details").get("messages").asInt()).isEqualTo(2);
        assertThat(incident.get("timeline")).singleElement().satisfies(e -> {
            assertThat(e.get("event").asString()).isEqualTo("created");
            assertThat(e.get("actor").asString()).isEqualTo("secops-alice");
        });

        JsonNode check = expect(api.post(BASE + "/secrets/stripe-key/check"), 200);
        assertThat(check.get("hasActiveIncidents").asBoolean()).isTrue();
        assertThat(check.get("incidents").get(0).get("incidentId").asString()).isEqualTo(incidentId);

        LeakApi bob = LeakApi.of(port, tenant, "secops-bob", VaultScopes.WRITE);
        JsonNode investigating = expect(bob.patch(INCIDENTS + "/" + incidentId, body("status", "investigating",
                "notes", "asking the channel owner")), 200);
        assertThat(investigating.get("status").asString()).isEqualTo("investigating");
        assertStatus(api.patch(INCIDENTS + "/" + incidentId, body("status", "investigating")), 409);
        expect(api.patch(INCIDENTS + "/" + incidentId, body("status", "resolved", "resolution",
                "key rolled at Stripe", "notes", "confirmed")), 200);
        JsonNode refused = api.patch(INCIDENTS + "/" + incidentId, body("status", "false_positive")).getBody();
        assertThat(refused.get("statusCode").asInt()).isEqualTo(409);
        assertThat(refused.get("details").get("status").asString()).isEqualTo("resolved");

        JsonNode resolved = api.incident(incidentId);
        assertThat(resolved.get("status").asString()).isEqualTo("resolved");
        assertThat(resolved.get("resolution").asString()).isEqualTo("key rolled at Stripe");
        assertThat(resolved.get("timeline")).hasSize(3);
        JsonNode change = resolved.get("timeline").get(1);
        assertThat(change.get("event").asString()).isEqualTo("status_changed");
        assertThat(change.get("actor").asString()).isEqualTo("secops-bob");
        assertThat(change.get("fromStatus").asString()).isEqualTo("open");
        assertThat(change.get("toStatus").asString()).isEqualTo("investigating");
        assertThat(change.get("notes").asString()).isEqualTo("asking the channel owner");
        assertThat(resolved.get("timeline").get(2).get("toStatus").asString()).isEqualTo("resolved");

        JsonNode after = expect(api.post(BASE + "/secrets/stripe-key/check"), 200);
        assertThat(after.get("hasActiveIncidents").asBoolean()).isFalse();
        assertThat(after.get("incidents")).isEmpty();
    }

    @Test
    void incidentsAreFilteredAndCountedFromTheStore() {
        String old = report("github", "critical", Instant.now().minus(3, ChronoUnit.DAYS));
        report("github", "low", Instant.now().minus(1, ChronoUnit.HOURS));
        String falsePositive = report("gitlab", "high", Instant.now().minus(2, ChronoUnit.HOURS));
        report("pastebin", "high", Instant.now());
        expect(api.patch(INCIDENTS + "/" + falsePositive, body("status", "false_positive")), 200);
        expect(api.patch(INCIDENTS + "/" + old, body("status", "resolved")), 200);

        assertThat(api.incidents("")).hasSize(4);
        assertThat(api.incidents("?severity=high")).hasSize(2);
        assertThat(api.incidents("?status=open")).hasSize(2);
        assertThat(api.incidents("?status=resolved")).extracting(i -> i.get("incidentId").asString())
                .containsExactly(old);
        assertThat(api.incidents("?since=" + Instant.now().minus(1, ChronoUnit.DAYS))).hasSize(3);
        assertThat(api.incidents("?status=open&severity=high")).singleElement()
                .satisfies(i -> assertThat(i.get("source").asString()).isEqualTo("pastebin"));
        assertThat(api.incidents("?limit=1")).hasSize(1);
        assertFieldRefused(api.get(INCIDENTS + "?status=closed"), "status");
        assertFieldRefused(api.get(INCIDENTS + "?severity=urgent"), "severity");
        assertFieldRefused(api.get(INCIDENTS + "?since=yesterday"), "since");
        assertFieldRefused(api.get(INCIDENTS + "?limit=0"), "limit");

        JsonNode stats = expect(api.get(BASE + "/stats"), 200);
        assertThat(stats.get("totalIncidents").asLong()).isEqualTo(4);
        assertThat(stats.get("openIncidents").asLong()).isEqualTo(2);
        assertThat(stats.get("resolvedIncidents").asLong()).isEqualTo(1);
        assertThat(stats.get("falsePositiveIncidents").asLong()).isEqualTo(1);
        assertThat(stats.get("investigatingIncidents").asLong()).isZero();
        assertThat(stats.get("bySeverity").toString())
                .isEqualTo("{\"critical\":1,\"high\":2,\"medium\":0,\"low\":1}");
        assertThat(stats.get("bySource").toString()).isEqualTo("{\"github\":2,\"gitlab\":1,\"pastebin\":1}");

        JsonNode empty = expect(LeakApi.of(port, "tenant-" + UUID.randomUUID(), "x", VaultScopes.READ)
                .get(BASE + "/stats"), 200);
        assertThat(empty.get("totalIncidents").asLong()).isZero();
        assertThat(empty.get("bySource").toString()).isEqualTo("{\"github\":0,\"gitlab\":0}");
    }

    @Test
    void reportsAndChangesAreValidatedNamingTheField() {
        assertFieldRefused(api.post(INCIDENTS, body("location", "x", "severity", "low")), "source");
        assertFieldRefused(api.post(INCIDENTS, body("source", "has space", "location", "x", "severity", "low")),
                "source");
        assertFieldRefused(api.post(INCIDENTS, body("source", "github", "severity", "low")), "location");
        assertFieldRefused(api.post(INCIDENTS, body("source", "github", "location", "x")), "severity");
        assertFieldRefused(api.post(INCIDENTS, body("source", "github", "location", "x", "severity", "low",
                "detectedAt", "last tuesday")), "detectedAt");
        assertFieldRefused(api.post(INCIDENTS, body("source", "github", "location", "x", "severity", "low",
                "detectedAt", Instant.now().plus(1, ChronoUnit.DAYS).toString())), "detectedAt");
        assertFieldRefused(api.post(INCIDENTS, body("source", "github", "location", "x", "severity", "low",
                "details", "text")), "details");
        assertFieldRefused(api.post(INCIDENTS, body("source", "github", "location", "x", "severity", "low",
                "details", body("blob", "x".repeat(20_000)))), "details");
        assertStatus(api.post(INCIDENTS, body("secretId", "no-such-secret", "source", "github", "location", "x",
                "severity", "low")), 404);
        String incidentId = report("github", "low", Instant.now());
        assertFieldRefused(api.patch(INCIDENTS + "/" + incidentId, body("notes", "no status")), "status");
        assertFieldRefused(api.patch(INCIDENTS + "/" + incidentId, body("status", "open")), "status");
        assertFieldRefused(api.patch(INCIDENTS + "/" + incidentId, body("status", "closed")), "status");
        assertThat(api.incidents("")).hasSize(1);
    }

    @Test
    void incidentsBelongToTheirTenantAndNeedTheirScopes() {
        api.storeSecret("shared-name", TestLeaks.password());
        String incidentId = report("github", "low", Instant.now());
        LeakApi other = LeakApi.of(port, "tenant-" + UUID.randomUUID(), "mallory", LeakApi.ALL_SCOPES);
        assertStatus(other.get(INCIDENTS + "/" + incidentId), 404);
        assertStatus(other.patch(INCIDENTS + "/" + incidentId, body("status", "resolved")), 404);
        assertStatus(other.post(BASE + "/secrets/shared-name/check"), 404);
        assertStatus(other.post(INCIDENTS, body("secretId", "shared-name", "source", "github", "location", "x",
                "severity", "low")), 404);
        assertThat(other.incidents("")).isEmpty();
        assertStatus(api.get(INCIDENTS + "/not-a-uuid"), 404);
        assertStatus(api.post(BASE + "/secrets/unknown-secret/check"), 404);

        LeakApi anonymous = LeakApi.withToken(port, null);
        assertStatus(anonymous.get(INCIDENTS), 401);
        assertStatus(anonymous.post(INCIDENTS, body("source", "github")), 401);
        assertStatus(anonymous.get(INCIDENTS + "/" + incidentId), 401);
        assertStatus(anonymous.patch(INCIDENTS + "/" + incidentId, body("status", "resolved")), 401);
        assertStatus(anonymous.get(BASE + "/stats"), 401);
        assertStatus(anonymous.post(BASE + "/secrets/shared-name/check"), 401);
        LeakApi reader = LeakApi.of(port, tenant, "reader", VaultScopes.READ);
        LeakApi writer = LeakApi.of(port, tenant, "writer", VaultScopes.WRITE);
        assertStatus(reader.post(INCIDENTS, body("source", "github", "location", "x", "severity", "low")), 403);
        assertStatus(reader.patch(INCIDENTS + "/" + incidentId, body("status", "resolved")), 403);
        assertStatus(writer.get(INCIDENTS), 403);
        assertStatus(writer.get(INCIDENTS + "/" + incidentId), 403);
        assertStatus(writer.get(BASE + "/stats"), 403);
        assertStatus(writer.post(BASE + "/secrets/shared-name/check"), 403);
        assertThat(expect(reader.post(BASE + "/secrets/shared-name/check"), 200).get("hasActiveIncidents")
                .asBoolean()).isFalse();
        assertThat(reader.incidents("")).hasSize(1);
    }

    private String report(String source, String severity, Instant detectedAt) {
        return expect(api.post(INCIDENTS, body("source", source, "location", "https://example.com/" + source,
                "severity", severity, "detectedAt", detectedAt.toString())), 201).get("incidentId").asString();
    }

    static List<String> ids(List<JsonNode> incidents) {
        return incidents.stream().map(i -> i.get("incidentId").asString()).toList();
    }
}
