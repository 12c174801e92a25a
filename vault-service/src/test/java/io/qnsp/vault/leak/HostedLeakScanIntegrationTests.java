package io.qnsp.vault.leak;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.vault.leak.detect.Masks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static io.qnsp.vault.leak.LeakApi.BASE;
import static org.assertj.core.api.Assertions.assertThat;

/** Scans of GitHub organizations and GitLab groups and projects through their REST APIs, served by a local stub. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class HostedLeakScanIntegrationTests {

    static final FakeCodeHosts HOSTS = new FakeCodeHosts();

    @DynamicPropertySource
    static void codeHosts(DynamicPropertyRegistry registry) {
        registry.add("qnsp.vault.leak.github.api-url", () -> HOSTS.url() + "/github");
        registry.add("qnsp.vault.leak.github.token", () -> FakeCodeHosts.GITHUB_TOKEN);
        registry.add("qnsp.vault.leak.gitlab.api-url", () -> HOSTS.url() + "/gitlab/api/v4/");
        registry.add("qnsp.vault.leak.gitlab.token", () -> FakeCodeHosts.GITLAB_TOKEN);
    }

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
    void everyRepositoryOfAGitHubOrganizationIsReadOnEveryBranch() {
        String aws = TestLeaks.awsAccessKeyId();
        String pem = TestLeaks.privateKeyPem();
        HOSTS.blob("gh-readme", "# App\n\nSee https://docs.example.com/app for the runbook.\n");
        HOSTS.blob("gh-env", "REGION=eu-west-1\nAWS_ACCESS_KEY_ID=" + aws + "\n");
        HOSTS.blob("gh-key", pem + "\n");
        HOSTS.blob("gh-code", TestLeaks.ORDINARY_CODE);

        JsonNode scan = api.awaitScan(api.scan(body("targets", List.of("github"),
                "scope", body("organizations", List.of("acme")))));

        assertThat(scan.get("status").asString()).as("%s", scan).isEqualTo("completed");
        assertThat(scan.get("repositoriesTotal").asInt()).isEqualTo(2);
        assertThat(scan.get("repositoriesScanned").asInt()).isEqualTo(2);
        // README and prod.env are the same blobs on both branches: read once
        assertThat(scan.get("filesScanned").asInt()).isEqualTo(4);
        assertThat(scan.get("findings").asInt()).isEqualTo(2);
        Map<String, JsonNode> byValue = incidentsByMaskedValue();
        assertThat(byValue.keySet()).containsExactlyInAnyOrder(Masks.of(aws), Masks.of(pem));
        JsonNode awsIncident = byValue.get(Masks.of(aws));
        assertThat(awsIncident.get("source").asString()).isEqualTo("github");
        assertThat(awsIncident.get("details").get("repository").asString()).isEqualTo("acme/app");
        assertThat(awsIncident.get("details").get("path").asString()).isEqualTo("config/prod.env");
        assertThat(awsIncident.get("details").get("branch").asString()).isEqualTo("main");
        assertThat(awsIncident.get("details").get("commitId").asString()).isEqualTo("a1a1");
        assertThat(awsIncident.get("details").get("line").asInt()).isEqualTo(2);
        JsonNode keyIncident = byValue.get(Masks.of(pem));
        assertThat(keyIncident.get("details").get("branch").asString()).isEqualTo("dev");
        assertThat(keyIncident.get("details").get("path").asString()).isEqualTo("deploy/key.pem");
        assertThat(HOSTS.requests).contains("github /orgs/acme/repos", "github /repos/acme/infra/git/trees/c3c3");
    }

    @Test
    void aGitLabProjectIsReadThroughItsPagedTreeAndItsStoredSecretIsLinked() {
        String password = TestLeaks.password();
        api.storeSecret("api-db-password", password);
        String githubToken = "ghp_" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8Nn";
        HOSTS.blob("gl-ci", "deploy:\n  script:\n    - ./deploy.sh --token " + githubToken + "\n");
        HOSTS.blob("gl-app", "import os\n\nDATABASE_URL = \"postgresql://api:" + password + "@db:5432/api\"\n");

        // the same project named twice, by path and through its group: read once
        JsonNode scan = api.awaitScan(api.scan(body("targets", List.of("gitlab"),
                "scope", body("repositories", List.of("platform/api"), "organizations", List.of("gitlab:platform")))));

        assertThat(scan.get("status").asString()).as("%s", scan).isEqualTo("completed");
        assertThat(scan.get("repositoriesTotal").asInt()).isEqualTo(1);
        assertThat(scan.get("findings").asInt()).isEqualTo(2);
        Map<String, JsonNode> byValue = incidentsByMaskedValue();
        assertThat(byValue.keySet()).containsExactlyInAnyOrder(Masks.of(githubToken), Masks.of(password));
        JsonNode linked = byValue.get(Masks.of(password));
        assertThat(linked.get("source").asString()).isEqualTo("gitlab");
        assertThat(linked.get("secretId").asString()).isEqualTo("api-db-password");
        assertThat(linked.get("details").get("path").asString()).isEqualTo("src/app.py");
        assertThat(linked.get("details").get("line").asInt()).isEqualTo(3);
        assertThat(byValue.get(Masks.of(githubToken)).get("details").get("rule").get("name").asString())
                .isEqualTo("github-token");

        JsonNode stats = expect(api.get(BASE + "/stats"), 200);
        assertThat(stats.get("bySource").get("gitlab").asLong()).isEqualTo(2);
        assertThat(stats.get("bySource").get("github").asLong()).isZero();
        assertThat(stats.get("bySeverity").get("critical").asLong()).isEqualTo(1);
        assertThat(stats.get("bySeverity").get("high").asLong()).isEqualTo(1);
    }

    @Test
    void aCodeHostThatRefusesOrDoesNotKnowTheRepositoryFailsTheScanWithAReason() {
        JsonNode refused = api.awaitScan(api.scan(body("targets", List.of("github"),
                "scope", body("organizations", List.of("locked")))));
        assertThat(refused.get("status").asString()).isEqualTo("failed");
        assertThat(refused.get("failureReason").asString()).contains("github refused", "403", "locked",
                "qnsp.vault.leak.github.token");
        assertThat(refused.get("failureReason").asString()).doesNotContain(FakeCodeHosts.GITHUB_TOKEN);

        JsonNode missing = api.awaitScan(api.scan(body("targets", List.of("github", "gitlab"),
                "scope", body("repositories", List.of("github:acme/app", "gitlab:platform/missing")))));
        assertThat(missing.get("status").asString()).isEqualTo("failed");
        assertThat(missing.get("failureReason").asString()).contains("gitlab has no project platform/missing");
    }

    private Map<String, JsonNode> incidentsByMaskedValue() {
        Map<String, JsonNode> byValue = new HashMap<>();
        for (JsonNode summary : api.incidents("")) {
            JsonNode incident = api.incident(summary.get("incidentId").asString());
            byValue.put(incident.get("details").get("maskedValue").asString(), incident);
        }
        return byValue;
    }
}
