package io.qnsp.access.simulation;

import io.qnsp.access.AccessApi;
import io.qnsp.access.AccessIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static io.qnsp.access.AccessApi.body;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Impact analysis against a brute-force replay: every known request is simulated under the policies before a change,
 * the change is then made for real and every request simulated again; the analysis must have predicted exactly the
 * decisions that flipped, no more and no fewer.
 */
@AccessIntegrationTest
class ImpactAnalysisIntegrationTests {

    @LocalServerPort
    int port;

    String tenant;
    AccessApi api;

    /** One request the tenant's services asked about: principal (with groups), resource (with attributes), action. */
    record Known(String principalType, String principalId, List<String> groups, String resource,
                 Map<String, Object> attributes, String action) {

        Map<String, Object> query(String requestId) {
            int colon = resource.indexOf(':');
            return body("requestId", requestId,
                    "principal", body("type", principalType, "id", principalId, "groups", groups),
                    "resource", body("type", resource.substring(0, colon), "id", resource.substring(colon + 1),
                            "attributes", attributes), "action", action);
        }

        String flip(String before, String after) {
            return principalType + ":" + principalId + " " + resource + " " + action + " " + before + "->" + after;
        }
    }

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = AccessApi.of(port, tenant, "admin-1", AccessApi.ALL_SCOPES);
    }

    @Test
    void theAnalysisPredictsExactlyTheDecisionsThatFlip() {
        api.createPolicy("readers", "allow", List.of("group:staff"), List.of("document:*"), List.of("read"));
        api.createPolicy("writers", "allow", List.of("user:*"), List.of("document:*"), List.of("write"),
                Map.of("resource.classification", List.of("public", "internal")));
        api.createPolicy("no-secrets", "deny", List.of("*"), List.of("document:*"), List.of("*"),
                Map.of("resource.classification", "secret"));
        String admins = api.createPolicy("admins-all", "allow", List.of("group:admins"), List.of("*"),
                List.of("*"));
        api.createPolicy("bob-bucket", "allow", List.of("user:bob"), List.of("bucket:b1"), List.of("list"));

        // the services of the tenant ask about these (some twice: the log is replayed by distinct request)
        List<Known> asked = new ArrayList<>();
        Map<String, List<String>> people = Map.of("alice", List.of("staff"), "bob", List.of(),
                "carol", List.of("admins"), "dave", List.of("staff", "admins"));
        Map<String, Map<String, Object>> things = Map.of("document:d1", Map.of("classification", "public"),
                "document:d2", Map.of("classification", "secret"), "document:d3",
                Map.of("classification", "internal"), "bucket:b1", Map.of());
        for (Map.Entry<String, List<String>> person : people.entrySet()) {
            for (Map.Entry<String, Map<String, Object>> thing : things.entrySet()) {
                for (String action : List.of("read", "write", "delete", "list")) {
                    asked.add(new Known("user", person.getKey(), person.getValue(), thing.getKey(), thing.getValue(),
                            action));
                }
            }
        }
        for (Known known : asked) {
            ok(api.post("/access/v1/check", known.query("x")));
        }
        ok(api.post("/access/v1/check", asked.get(3).query("again")));

        // and the policies name user:bob, group:staff, group:admins, bucket:b1 and read, write, list exactly
        Set<Known> universe = new LinkedHashSet<>(asked);
        for (String principal : List.of("user:bob", "group:staff", "group:admins")) {
            for (String action : List.of("read", "write", "list")) {
                int colon = principal.indexOf(':');
                universe.add(new Known(principal.substring(0, colon), principal.substring(colon + 1), List.of(),
                        "bucket:b1", Map.of(), action));
            }
        }

        // 1: admins keep only buckets
        Map<String, Object> narrowed = body("name", "admins-all", "effect", "allow", "principals",
                List.of("group:admins"), "resources", List.of("bucket:*"), "actions", List.of("*"));
        JsonNode analysis = ok(api.post("/access/v1/simulate/impact", body("policyChange", body("type", "update",
                "policyId", admins, "newPolicy", narrowed), "sampleSize", 100)));
        List<String> before = decide(universe);
        ok(api.put("/access/v1/policies/" + admins, narrowed));
        List<String> after = decide(universe);
        assertPredicted(analysis, universe, before, after);
        assertThat(analysis.get("impactSummary").get("permissionsRevoked").asInt()).isPositive();
        assertThat(analysis.get("warnings").toString()).contains("administrator user:carol")
                .contains("administrator user:dave");

        // 2: a wide allow, which the deny on secrets still overrides
        Map<String, Object> wide = body("name", "everyone-documents", "effect", "allow", "principals", List.of("*"),
                "resources", List.of("document:*"), "actions", List.of("*"));
        analysis = ok(api.post("/access/v1/simulate/impact", body("policyChange", body("type", "create",
                "newPolicy", wide), "sampleSize", 100)));
        before = after;
        api.post("/access/v1/policies", wide);
        after = decide(universe);
        assertPredicted(analysis, universe, before, after);
        assertThat(analysis.get("impactSummary").get("permissionsGranted").asInt()).isPositive();
        assertThat(analysis.get("warnings").toString()).contains("allows * as principals, actions");

        // the answer is kept: fetched again it is the same
        String analysisId = analysis.get("analysisId").asString();
        assertThat(ok(api.get("/access/v1/simulate/impact/" + analysisId))).isEqualTo(analysis);
    }

    /** The decisions of every request of the universe, in its order, from a batch simulation. */
    private List<String> decide(Set<Known> universe) {
        List<Map<String, Object>> requests = new ArrayList<>();
        int i = 0;
        for (Known known : universe) {
            requests.add(known.query("r" + i++));
        }
        JsonNode results = ok(api.post("/access/v1/simulate/batch", body("requests", requests))).get("results");
        List<String> decisions = new ArrayList<>();
        results.forEach(result -> decisions.add(result.get("decision").asString()));
        assertThat(decisions).hasSize(universe.size());
        return decisions;
    }

    private static void assertPredicted(JsonNode analysis, Set<Known> universe, List<String> before,
                                        List<String> after) {
        Set<String> flips = new TreeSet<>();
        Set<String> principals = new TreeSet<>();
        Set<String> resources = new TreeSet<>();
        int granted = 0;
        int revoked = 0;
        int i = 0;
        for (Known known : universe) {
            String was = before.get(i);
            String is = after.get(i++);
            if (!was.equals(is)) {
                flips.add(known.flip(was, is));
                principals.add(known.principalType() + ":" + known.principalId());
                resources.add(known.resource());
                if (is.equals("allow")) {
                    granted++;
                } else {
                    revoked++;
                }
            }
        }
        assertThat(flips).isNotEmpty();
        JsonNode summary = analysis.get("impactSummary");
        assertThat(analysis.get("knownRequests").asInt()).isEqualTo(universe.size());
        assertThat(summary.get("permissionsGranted").asInt()).isEqualTo(granted);
        assertThat(summary.get("permissionsRevoked").asInt()).isEqualTo(revoked);
        assertThat(summary.get("affectedPrincipals").asInt()).isEqualTo(principals.size());
        assertThat(summary.get("affectedResources").asInt()).isEqualTo(resources.size());
        Set<String> predicted = new TreeSet<>();
        analysis.get("samples").forEach(sample -> predicted.add(sample.get("principal").asString() + " "
                + sample.get("resource").asString() + " " + sample.get("action").asString() + " "
                + sample.get("currentDecision").asString() + "->" + sample.get("newDecision").asString()));
        assertThat(predicted).isEqualTo(flips);
    }
}
