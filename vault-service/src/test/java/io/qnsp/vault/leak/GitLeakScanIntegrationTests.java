package io.qnsp.vault.leak;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.vault.VaultScopes;
import io.qnsp.vault.leak.detect.Masks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static io.qnsp.vault.leak.LeakApi.BASE;
import static io.qnsp.vault.leak.LeakApi.assertFieldRefused;
import static io.qnsp.vault.leak.LeakApi.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scans of git repositories made by the tests with JGit, read in place under the allowed local root, through the
 * real HTTP API; the stored secrets are written through the versioned secrets API, and what a scan does to them is
 * read back from their history.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class GitLeakScanIntegrationTests {

    @LocalServerPort
    int port;

    @TempDir
    Path directory;

    String tenant;
    LeakApi api;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = LeakApi.of(port, tenant, "secops-alice", LeakApi.ALL_SCOPES);
    }

    @Test
    void aRepositoryWithLeaksOnTwoBranchesGivesExactlyThoseFindingsAndRotatesTheStoredSecretItHolds() {
        String aws = TestLeaks.awsAccessKeyId();
        String pem = TestLeaks.privateKeyPem();
        String token = TestLeaks.highEntropyToken();
        String password = TestLeaks.passwordNoPatternFinds();
        api.storeSecret("payments-db-password", password);
        Commits commits = leakyRepository(aws, pem, token, password);
        String policyId = api.createPolicy(body("name", "rotate leaked secrets", "actions",
                body("onDetection", "rotate", "generator", "alphanumeric-40",
                        "notificationChannels", List.of("slack:#secops"))));

        Instant before = Instant.now();
        JsonNode queued = expect(api.post(BASE + "/scan", body("targets", List.of("git"),
                "scope", body("repositories", List.of(directory.toString())), "policyIds", List.of(policyId))), 202);
        assertThat(queued.get("status").asString()).isEqualTo("queued");
        assertThat(Instant.parse(queued.get("estimatedCompletionAt").asString())).isAfter(before);
        JsonNode scan = api.awaitScan(queued.get("scanId").asString());

        assertThat(scan.get("status").asString()).as("%s", scan).isEqualTo("completed");
        assertThat(scan.get("progress").asInt()).isEqualTo(100);
        assertThat(scan.get("findings").asInt()).isEqualTo(4);
        assertThat(scan.get("repositoriesScanned").asInt()).isEqualTo(1);
        assertThat(scan.get("startedAt").isNull()).isFalse();
        assertThat(scan.get("completedAt").isNull()).isFalse();

        Map<String, JsonNode> byValue = new HashMap<>();
        for (JsonNode summary : api.incidents("")) {
            JsonNode incident = api.incident(summary.get("incidentId").asString());
            assertThat(incident.get("source").asString()).isEqualTo("git");
            byValue.put(incident.get("details").get("maskedValue").asString(), incident);
        }
        assertThat(byValue.keySet()).containsExactlyInAnyOrder(Masks.of(aws), Masks.of(pem), Masks.of(token),
                Masks.of(password));
        assertFound(byValue.get(Masks.of(aws)), "config/aws.properties", commits.aws, 2, "critical",
                "aws-access-key-id");
        assertFound(byValue.get(Masks.of(pem)), "keys/signing.pem", commits.pem, 1, "critical", "private-key");
        assertFound(byValue.get(Masks.of(token)), "config/app.env", commits.env, 1, "medium", "high-entropy-token");
        JsonNode leakedPassword = byValue.get(Masks.of(password));
        assertFound(leakedPassword, "config/app.env", commits.env, 3, "critical", "stored-secret");
        assertThat(byValue.get(Masks.of(aws)).get("secretId").isNull()).isTrue();

        // the leaked value was the secret's current version: it is linked, and rotated under the policy
        assertThat(leakedPassword.get("secretId").asString()).isEqualTo("payments-db-password");
        assertThat(leakedPassword.get("secretVersion").asInt()).isEqualTo(1);
        List<JsonNode> versions = api.versions("payments-db-password");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(1).get("version").asInt()).isEqualTo(2);
        assertThat(versions.get(1).get("createdBy").asString()).isEqualTo("secops-alice");
        assertThat(versions.get(1).get("metadata").get("reason").asString()).contains(scan.get("scanId").asString(),
                leakedPassword.get("incidentId").asString());
        assertThat(api.states("payments-db-password")).containsExactly("active", "active");
        assertThat(timeline(leakedPassword)).containsExactly("created", "action:alert", "action:rotate");
        assertThat(leakedPassword.get("timeline").get(2).get("result").asString())
                .contains("rotated secret payments-db-password: version 2", "alphanumeric-40");
        assertThat(leakedPassword.get("timeline").get(1).get("result").asString()).contains("slack:#secops");
        // a value that is no stored secret cannot be rotated: the policy's action says so
        assertThat(byValue.get(Masks.of(aws)).get("timeline").get(2).get("result").asString())
                .contains("not taken", "none of the tenant's stored secrets");

        JsonNode check = expect(api.post(BASE + "/secrets/payments-db-password/check"), 200);
        assertThat(check.get("hasActiveIncidents").asBoolean()).isTrue();
        assertThat(check.get("incidents")).singleElement().satisfies(i -> assertThat(i.get("incidentId").asString())
                .isEqualTo(leakedPassword.get("incidentId").asString()));

        // the same repository scanned again: the same four, seen again, and no second rotation
        JsonNode again = api.awaitScan(api.scan(body("targets", List.of("git"),
                "scope", body("repositories", List.of(directory.toString())), "policyIds", List.of(policyId))));
        assertThat(again.get("status").asString()).isEqualTo("completed");
        assertThat(again.get("findings").asInt()).isEqualTo(4);
        assertThat(api.incidents("")).hasSize(4);
        assertThat(timeline(api.incident(leakedPassword.get("incidentId").asString())))
                .containsExactly("created", "action:alert", "action:rotate", "seen_again");
        assertThat(api.versions("payments-db-password")).hasSize(2);

        // another tenant sees none of it
        LeakApi other = LeakApi.of(port, "tenant-" + UUID.randomUUID(), "mallory", LeakApi.ALL_SCOPES);
        assertStatus(other.get(BASE + "/scans/" + scan.get("scanId").asString()), 404);
        assertStatus(other.get(BASE + "/incidents/" + leakedPassword.get("incidentId").asString()), 404);
        assertStatus(other.post(BASE + "/secrets/payments-db-password/check"), 404);
        assertStatus(other.get(BASE + "/policies/" + policyId), 404);
        assertThat(other.incidents("")).isEmpty();
    }

    @Test
    void aRevokePolicyDeprecatesTheLeakedVersionAndAScanWithoutPolicyOnlyAlerts() {
        // a stored value a built-in rule finds as well (a high-entropy token): the scan's policies act on it
        String password = TestLeaks.highEntropyToken();
        api.storeSecret("ci-deploy-token", password);
        api.storeSecret("ci-deploy-token", TestLeaks.password());
        try (TestRepositories repository = TestRepositories.init(directory)) {
            repository.commit("ci", Map.of(".ci/deploy.sh", "#!/bin/sh\ncurl -u deploy:" + password
                    + "@deploy.example.com/upload\n"));
        }
        String revoke = api.createPolicy(body("name", "revoke", "actions", body("onDetection", "revoke")));

        JsonNode scan = api.awaitScan(api.scan(body("targets", List.of("git"),
                "scope", body("repositories", List.of("file://" + directory)), "policyIds", List.of(revoke))));

        assertThat(scan.get("findings").asInt()).as("%s", scan).isEqualTo(1);
        JsonNode incident = api.incident(api.incidents("").getFirst().get("incidentId").asString());
        // the leaked value is version 1, no longer current: deprecated, not rotated
        assertThat(incident.get("secretId").asString()).isEqualTo("ci-deploy-token");
        assertThat(incident.get("secretVersion").asInt()).isEqualTo(1);
        assertThat(incident.get("details").get("line").asInt()).isEqualTo(2);
        assertThat(incident.get("details").get("rule").get("name").asString()).isEqualTo("high-entropy-token");
        assertThat(incident.get("severity").asString()).isEqualTo("critical");
        assertThat(timeline(incident)).containsExactly("created", "action:alert", "action:revoke");
        assertThat(incident.get("timeline").get(2).get("result").asString()).isEqualTo(
                "deprecated version 1 of secret ci-deploy-token");
        assertThat(api.states("ci-deploy-token")).containsExactly("deprecated", "active");

        // without policies (the tenant's revoke policy disabled by deleting it), the built-in rules only alert
        expect(api.delete(BASE + "/policies/" + revoke), 204);
        String aws = TestLeaks.awsAccessKeyId();
        api.storeSecret("aws-key-id", aws);
        try (TestRepositories repository = TestRepositories.init(directory.resolve("second"))) {
            repository.commit("aws", Map.of("main.tf", "access_key = \"" + aws + "\"\n"));
        }
        JsonNode alerted = api.awaitScan(api.scan(body("targets", List.of("git"),
                "scope", body("repositories", List.of(directory.resolve("second").toString())))));
        assertThat(alerted.get("findings").asInt()).isEqualTo(1);
        JsonNode awsIncident = api.incident(api.incidents("?severity=critical").stream()
                .filter(i -> "aws-key-id".equals(i.get("secretId").asString())).findFirst().orElseThrow()
                .get("incidentId").asString());
        assertThat(timeline(awsIncident)).containsExactly("created", "action:alert");
        assertThat(awsIncident.get("details").get("rule").get("name").asString()).isEqualTo("aws-access-key-id");
        assertThat(api.states("aws-key-id")).containsExactly("active");
    }

    @Test
    void aRepositoryThatCannotBeReadFailsTheScanWithAReason() {
        JsonNode scan = api.awaitScan(api.scan(body("targets", List.of("git"),
                "scope", body("repositories", List.of(directory.resolve("missing").toString())))));
        assertThat(scan.get("status").asString()).isEqualTo("failed");
        assertThat(scan.get("failureReason").asString()).contains("missing", "does not exist");
        assertThat(scan.get("completedAt").isNull()).isFalse();

        JsonNode notGit = api.awaitScan(api.scan(body("targets", List.of("git"),
                "scope", body("repositories", List.of(directory.toString())))));
        assertThat(notGit.get("status").asString()).isEqualTo("failed");
        assertThat(notGit.get("failureReason").asString()).contains("is not a git repository");
    }

    @Test
    void scanRequestsAreValidatedNamingTheField() {
        assertFieldRefused(api.post(BASE + "/scan", body("targets", List.of("git", "pastebin"),
                "scope", body("repositories", List.of(directory.toString())))), "targets[1]");
        JsonNode pastebin = api.post(BASE + "/scan", body("targets", List.of("s3"), "scope",
                body("repositories", List.of("acme/app")))).getBody();
        assertThat(pastebin.get("message").asString()).contains("git, github, gitlab");
        assertThat(pastebin.get("details").get("supportedTargets").toString()).contains("github");
        assertFieldRefused(api.post(BASE + "/scan", body("scope", body("repositories", List.of("x/y")))), "targets");
        assertFieldRefused(api.post(BASE + "/scan", body("targets", List.of("git"))), "scope");
        assertFieldRefused(api.post(BASE + "/scan", body("targets", List.of("git"), "scope",
                body("repositories", List.of()))), "scope");
        assertFieldRefused(api.post(BASE + "/scan", body("targets", List.of("git"), "scope",
                body("repositories", List.of("/etc")))), "scope.repositories[0]");
        assertFieldRefused(api.post(BASE + "/scan", body("targets", List.of("git"), "scope",
                body("repositories", List.of("git@github.com:acme/app.git")))), "scope.repositories[0]");
        assertFieldRefused(api.post(BASE + "/scan", body("targets", List.of("git"), "scope",
                body("repositories", List.of("https://user:pw@example.com/acme/app.git")))),
                "scope.repositories[0]");
        assertFieldRefused(api.post(BASE + "/scan", body("targets", List.of("git"), "scope",
                body("repositories", List.of("acme/app")))), "scope.repositories[0]");
        assertFieldRefused(api.post(BASE + "/scan", body("targets", List.of("git", "github"), "scope",
                body("repositories", List.of(directory.toString())))), "targets[1]");
        assertFieldRefused(api.post(BASE + "/scan", body("targets", List.of("git"), "scope",
                body("repositories", List.of(directory.toString())), "policyIds", List.of("nope"))), "policyIds[0]");
        assertFieldRefused(api.postJson(BASE + "/scan", "{\"targets\": \"git\"}"), "targets");
        assertStatus(api.post(BASE + "/scan", body("targets", List.of("git"), "scope",
                body("repositories", List.of(directory.toString())), "policyIds",
                List.of(UUID.randomUUID().toString()))), 404);
    }

    @Test
    void scansNeedAToken() {
        LeakApi anonymous = LeakApi.withToken(port, null);
        Map<String, Object> request = body("targets", List.of("git"), "scope",
                body("repositories", List.of(directory.toString())));
        assertStatus(anonymous.post(BASE + "/scan", request), 401);
        assertStatus(anonymous.get(BASE + "/scans/" + UUID.randomUUID()), 401);
        assertStatus(LeakApi.of(port, tenant, "reader", VaultScopes.READ).post(BASE + "/scan", request), 403);
        String scanId = api.scan(request);
        assertStatus(LeakApi.of(port, tenant, "writer", VaultScopes.WRITE).get(BASE + "/scans/" + scanId), 403);
        assertStatus(api.get(BASE + "/scans/not-a-uuid"), 404);
        assertStatus(api.get(BASE + "/scans/" + UUID.randomUUID()), 404);
        api.awaitScan(scanId);
    }

    private record Commits(String aws, String pem, String env) {
    }

    /**
     * main: ordinary code, then an AWS key; branch feature/signing: a private key, then a session token and the
     * stored password (and more ordinary code); main again: a README change.
     */
    private Commits leakyRepository(String aws, String pem, String token, String password) {
        try (TestRepositories repository = TestRepositories.init(directory)) {
            repository.commit("reconciliation", Map.of("src/main/java/Reconciliation.java", TestLeaks.ORDINARY_CODE,
                    "README.md", "# Billing\n\nSee docs/ for the reconciliation runbook.\n"));
            String awsCommit = repository.commit("aws settings", Map.of("config/aws.properties",
                    "region = eu-west-1\naws_access_key_id = " + aws + "\n"));
            repository.branch("feature/signing");
            String pemCommit = repository.commit("signing key", Map.of("keys/signing.pem", pem + "\n"));
            String envCommit = repository.commit("environment", Map.of("config/app.env",
                    "SESSION_TOKEN=" + token + "\nLOG_LEVEL=info\nDB_PASSWORD=" + password + "\n",
                    "src/main/java/Reconciliation.java", TestLeaks.ORDINARY_CODE
                            + "// settlement files: s3://billing-settlements-eu-west-1/reports/2024/\n"));
            repository.checkout("main");
            repository.commit("readme", Map.of("README.md", "# Billing\n\nRunbook: docs/runbook.md\n"));
            return new Commits(awsCommit, pemCommit, envCommit);
        }
    }

    private static void assertFound(JsonNode incident, String path, String commitId, int line, String severity,
                                    String rule) {
        JsonNode details = incident.get("details");
        assertThat(details.get("path").asString()).isEqualTo(path);
        assertThat(details.get("commitId").asString()).isEqualTo(commitId);
        assertThat(details.get("line").asInt()).isEqualTo(line);
        assertThat(details.get("rule").get("name").asString()).isEqualTo(rule);
        assertThat(incident.get("severity").asString()).isEqualTo(severity);
        assertThat(incident.get("status").asString()).isEqualTo("open");
        assertThat(incident.get("location").asString()).endsWith(":" + path + ":" + line + "@" + commitId);
    }

    private static List<String> timeline(JsonNode incident) {
        List<String> events = new java.util.ArrayList<>();
        incident.get("timeline").forEach(e -> events.add(e.get("event").asString().equals("action")
                ? "action:" + e.get("action").asString() : e.get("event").asString()));
        return events;
    }
}
