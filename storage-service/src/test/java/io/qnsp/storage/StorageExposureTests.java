package io.qnsp.storage;

import io.qnsp.storage.classification.ScanWorker;
import io.qnsp.storage.content.Volumes;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An object's content is readable only in its download: not in any row of the schema (as text, or in slices of 16
 * bytes in hex and base64; scans keep counts, never what they found), not in the log captured at DEBUG, not in any
 * other answer, not in any file of the volumes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.io.qnsp=DEBUG", "logging.level.org.springframework.web=DEBUG",
                "logging.level.org.springframework.web.client=INFO"})
@ActiveProfiles("test")
@EmbeddedInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class StorageExposureTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ScanWorker scans;

    @Autowired
    Volumes volumes;

    @Test
    void contentIsStoredLoggedAndAnsweredNowhereButInItsDownload(CapturedOutput output) throws IOException {
        StorageApi api = StorageApi.newTenant(port);
        String content = "card 4111 1111 1111 1111, mail jane.secret@example.com, code PRJ-" + UUID.randomUUID();
        List<String> answers = new ArrayList<>();
        api.createBucket("exposed");
        expect(api.post("/storage/v1/replication/configurations", body("name", "eu", "sourceRegion", "us-east-1",
                "destinationRegions", List.of("eu-west-1"), "replicationMode", "sync")), 201);
        answers.add(text(api.put("exposed", "doc.txt", content.getBytes(StandardCharsets.UTF_8), "text/plain")));
        answers.add(text(api.post("/storage/v1/classification/policies", body("name", "all", "rules", List.of(
                body("detector", "credit_card", "classification", "restricted"),
                body("detector", "email", "classification", "internal"),
                body("pattern", "PRJ-[0-9a-f-]{36}", "classification", "confidential"))))));
        answers.add(text(api.post("/storage/v1/classification/scans", body())));
        scans.drain();
        String objectId = expect(api.metadata("exposed", "doc.txt"), 200).get("objectId").asString();
        answers.add(text(api.post("/storage/v1/retention/holds", body("name", "h", "reason", "r",
                "scope", body("objectIds", List.of(objectId))))));
        answers.add(text(api.put("exposed", "doc.txt", content.getBytes(StandardCharsets.UTF_8), "text/plain")));
        answers.add(text(api.metadata("exposed", "doc.txt")));
        answers.add(text(api.get("/storage/v1/buckets/exposed/objects")));
        answers.add(text(api.get("/storage/v1/classification/stats")));
        answers.add(text(api.get("/storage/v1/replication/status")));
        assertThat(new String(api.download("exposed", "doc.txt").getBody(), StandardCharsets.UTF_8))
                .isEqualTo(content);

        List<String> rows = SecretSearch.everyRowOfTheSchema(jdbc, "stored_object", "object_label",
                "classification_scan");
        List<String> forms = new ArrayList<>(List.of(content, "4111 1111 1111 1111", "4111111111111111",
                "jane.secret@example.com"));
        forms.addAll(SecretSearch.formsOfSlices(content.getBytes(StandardCharsets.UTF_8)));
        SecretSearch.assertFoundNowhere("object's content", forms, rows, output.getAll(), answers);
        List<String> files = new ArrayList<>();
        for (Path root : List.of(volumes.home().root(), volumes.replica("eu-west-1").orElseThrow().root())) {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path file : all.filter(Files::isRegularFile).toList()) {
                    byte[] bytes = Files.readAllBytes(file);
                    files.add(new String(bytes, StandardCharsets.ISO_8859_1) + HexFormat.of().formatHex(bytes));
                }
            }
        }
        assertThat(files).isNotEmpty();
        SecretSearch.assertFoundNowhere("object's content", forms, files, "", List.of());
        // the search can find: the labels' counts are there
        assertThat(rows).anyMatch(row -> row.startsWith("object_label:") && row.contains("restricted"));
    }

    private static String text(ResponseEntity<JsonNode> answer) {
        return String.valueOf(answer.getBody());
    }
}
