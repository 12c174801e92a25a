package io.qnsp.vault.secret;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.secrets.SecretSearch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.vault.secret.SecretsApi.BASE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A secret's value is readable only in the answer that reads its version: not in any row of the vault's schema (as
 * text, or in slices of 16 bytes in hex and base64), not in the log captured at DEBUG, not in any other answer,
 * refusals included.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.io.qnsp=DEBUG", "logging.level.org.springframework.web=DEBUG",
                // the test's own HTTP client logs what it sends: that is not the service's log
                "logging.level.org.springframework.web.client=INFO"})
@ActiveProfiles("test")
@EmbeddedInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class SecretValueExposureTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RetentionSweeper sweeper;

    @Test
    void noValueIsStoredLoggedOrAnsweredOutsideItsRead(CapturedOutput output) {
        String tenant = "tenant-" + UUID.randomUUID();
        SecretsApi alice = SecretsApi.of(port, tenant, "alice");
        List<String> values = List.of("postgres://app:Sup3r-S3cret-Passw0rd@db:5432/app",
                "AKIAIOSFODNN7EXAMPLE/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "ghp_" + UUID.randomUUID().toString().replace("-", "") + "rotated",
                "a value destroyed before it was ever read " + UUID.randomUUID());
        List<String> answers = new ArrayList<>();

        for (String value : values) {
            answers.add(ok(alice.post(BASE, body("secretId", "exposed", "value", value, "metadata",
                    Map.of("reason", "exposure test", "changedBy", "ci"))), 201));
        }
        // the reads are the answers allowed to hold a value
        for (int version = 1; version <= 3; version++) {
            ResponseEntity<JsonNode> read = alice.version("exposed", version);
            assertThat(read.getStatusCode().value()).isEqualTo(200);
            assertThat(read.getBody().get("value").asString()).isEqualTo(values.get(version - 1));
        }
        answers.add(ok(alice.history("exposed"), 200));
        answers.add(ok(alice.compare("exposed", 1, 2), 200));
        answers.add(ok(alice.post(BASE + "/exposed/rollback", body("targetVersion", 2, "reason", "back")), 200));
        answers.add(ok(alice.changeState("exposed", 4, "destroyed"), 200));
        answers.add(ok(alice.changeState("exposed", 3, "deprecated"), 200));
        answers.add(ok(alice.version("exposed", 4), 410));
        answers.add(ok(alice.retention("exposed", body("maxVersions", 3)), 200));
        answers.add(ok(alice.enforce("exposed"), 200));
        sweeper.sweep();
        answers.add(ok(alice.audit("exposed"), 200));
        answers.add(ok(alice.stats(), 200));
        // refusals that carry a value: too large, an invalid id, malformed JSON
        answers.add(ok(alice.write("exposed", values.get(0) + "x".repeat(64 * 1024)), 400));
        answers.add(ok(alice.write("not/valid", values.get(1)), 400));
        answers.add(ok(alice.postJson(BASE, "{\"secretId\": \"exposed\", \"value\": \"" + values.get(2) + "\""),
                400));

        List<String> rows = SecretSearch.everyRowOfTheSchema(jdbc, "versioned_secret", "secret_version",
                "secret_audit_event");
        String log = output.getAll();
        for (String value : values) {
            List<String> forms = new ArrayList<>(List.of(value));
            forms.addAll(SecretSearch.formsOfSlices(value.getBytes(StandardCharsets.UTF_8)));
            SecretSearch.assertFoundNowhere("value " + value.substring(0, 8) + "…", forms, rows, log, answers);
        }
        // the search can find: the rows hold the sealed values (five written, two removed by the retention), the
        // log names the versions written, the answers carry the metadata
        assertThat(rows).filteredOn(row -> row.startsWith("secret_version:")).hasSize(3);
        assertThat(log).contains("wrote version 4 of secret exposed");
        assertThat(answers).anySatisfy(answer -> assertThat(answer).contains("exposure test"));
    }

    private static String ok(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        return String.valueOf(response.getBody());
    }
}
