package io.qnsp.vault.leak;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.secrets.SecretSearch;
import io.qnsp.vault.leak.detect.Masks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static io.qnsp.vault.leak.LeakApi.BASE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The values a scan finds must be nowhere but in the repository they leaked from: not in any row of the vault's
 * schema, not in the log (captured at DEBUG for the service, Spring's web layer and JGit), not in any answer; only
 * their masked form. Each value is searched for as it is, and in 16-byte slices in hex and base64.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.io.qnsp=DEBUG", "logging.level.org.springframework.web=DEBUG",
                "logging.level.org.eclipse.jgit=DEBUG", "logging.level.org.springframework.web.client=INFO"})
@ActiveProfiles("test")
@EmbeddedInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class LeakExposureTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path directory;

    @Test
    void detectedValuesAreStoredLoggedAndAnsweredOnlyMasked(CapturedOutput output) {
        String tenant = "tenant-" + UUID.randomUUID();
        LeakApi api = LeakApi.of(port, tenant, "exposure", LeakApi.ALL_SCOPES);
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("AWS access key id", TestLeaks.awsAccessKeyId());
        secrets.put("private key", TestLeaks.privateKeyPem());
        secrets.put("high-entropy token", TestLeaks.highEntropyToken());
        secrets.put("stored password", TestLeaks.password());
        api.storeSecret("exposed-password", secrets.get("stored password"));
        try (TestRepositories repository = TestRepositories.init(directory)) {
            repository.commit("leaks", Map.of(
                    "config/aws.ini", "aws_access_key_id=" + secrets.get("AWS access key id") + "\n",
                    "keys/id.pem", secrets.get("private key") + "\n",
                    ".env", "TOKEN=" + secrets.get("high-entropy token") + "\nPASSWORD='"
                            + secrets.get("stored password") + "'\n"));
        }
        String policyId = api.createPolicy(body("name", "rotate", "actions", body("onDetection", "rotate"),
                "secretPatterns", List.of(body("type", "keyword", "pattern", "password", "severity", "high"))));

        List<String> answers = new ArrayList<>();
        String scanId = api.scan(body("targets", List.of("git"), "scope",
                body("repositories", List.of(directory.toString())), "policyIds", List.of(policyId)));
        JsonNode scan = api.awaitScan(scanId);
        assertThat(scan.get("findings").asInt()).as("%s", scan).isEqualTo(4);
        answers.add(scan.toString());
        answers.add(expect(api.get(BASE + "/incidents"), 200).toString());
        for (JsonNode summary : api.incidents("")) {
            answers.add(api.incident(summary.get("incidentId").asString()).toString());
        }
        answers.add(expect(api.post(BASE + "/secrets/exposed-password/check"), 200).toString());
        answers.add(expect(api.get(BASE + "/stats"), 200).toString());
        assertThat(api.versions("exposed-password")).hasSize(2);

        List<String> rows = SecretSearch.everyRowOfTheSchema(jdbc, "leak_policy", "leak_scan", "leak_incident",
                "leak_incident_event");
        assertThat(rows).as("the schema holds this test's incidents").hasSizeGreaterThan(10);
        secrets.forEach((name, value) -> {
            for (String place : rows) {
                assertThat(place).as("a row holds the %s", name).doesNotContain(value);
            }
            assertThat(output.getAll()).as("the log holds the %s", name).doesNotContain(value);
            for (String answer : answers) {
                assertThat(answer).as("an answer holds the %s", name).doesNotContain(value);
            }
            SecretSearch.assertFoundNowhere(name, SecretSearch.formsOfSlices(value.getBytes(StandardCharsets.UTF_8)),
                    rows, output.getAll(), answers);
            // what is kept instead: the masked form
            assertThat(String.join("\n", answers)).contains(Masks.of(value));
        });
        // the search can find: the log and the rows name the scan
        assertThat(output.getAll()).contains(scanId);
        assertThat(rows).anySatisfy(row -> assertThat(row).contains(scanId));
    }
}
