package io.qnsp.vault.dynamic;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.vault.dynamic.DynamicApi.CONFIGS;
import static io.qnsp.vault.dynamic.DynamicApi.SELECT_ALL;
import static io.qnsp.vault.dynamic.DynamicApi.postgresConfig;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend's password (given as credentials or inside the connection string) and every generated password are
 * readable nowhere but in the one answer that hands a password out: not in any row of the service's schema, not in
 * the log captured at DEBUG, and not in any other answer, error bodies included.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.io.qnsp=DEBUG", "logging.level.org.springframework.web=DEBUG",
                "logging.level.org.springframework.web.client=INFO"})
@ActiveProfiles("test")
@EmbeddedInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class DynamicSecretExposureTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LeaseRevocation revocation;

    @Test
    void noBackendOrGeneratedPasswordIsStoredLoggedOrAnsweredElsewhere(CapturedOutput output) throws Exception {
        TestBackends.PostgresServer server = TestBackends.postgres();
        DynamicApi api = DynamicApi.forTenant(port, "tenant-" + UUID.randomUUID(), DynamicApi.ALL_SCOPES);
        Map<String, String> secrets = new LinkedHashMap<>();
        List<String> answers = new ArrayList<>();
        List<String> handedOut = new ArrayList<>();

        TestBackends.Admin byCredentials = server.admin();
        secrets.put("backend password", byCredentials.password());
        ResponseEntity<JsonNode> first = api.post(CONFIGS, postgresConfig("by-credentials", server, byCredentials,
                SELECT_ALL, "PT10M", "PT1H"));
        String firstId = expect(first, 201).get("configId").asString();
        answers.add(first.getBody().toString());

        TestBackends.Admin inUrl = server.admin();
        secrets.put("connection string password", inUrl.password());
        Map<String, Object> second = postgresConfig("in-url", server, inUrl, SELECT_ALL, "PT10M", "PT1H");
        Map<String, Object> backend = new LinkedHashMap<>(Map.of("type", "postgres", "connectionString",
                "jdbc:postgresql://" + server.host() + ":" + server.port() + "/" + server.database() + "?user="
                        + inUrl.user() + "&password=" + inUrl.password() + "&sslmode=disable"));
        second.put("backend", backend);
        ResponseEntity<JsonNode> created = api.post(CONFIGS, second);
        String secondId = expect(created, 201).get("configId").asString();
        answers.add(created.getBody().toString());

        // refused: a wrong password, and a wrong password in the connection string
        String wrong = TestBackends.password();
        secrets.put("wrong password", wrong);
        ResponseEntity<JsonNode> refused = api.post(CONFIGS, postgresConfig("wrong", server,
                new TestBackends.Admin(byCredentials.user(), wrong), SELECT_ALL, "PT10M", "PT1H"));
        assertThat(refused.getStatusCode().value()).isEqualTo(422);
        answers.add(refused.getBody().toString());
        String wrongInUrl = TestBackends.password();
        secrets.put("wrong connection string password", wrongInUrl);
        second.put("name", "wrong-in-url");
        backend.put("connectionString", "jdbc:postgresql://" + server.host() + ":" + server.port() + "/"
                + server.database() + "?user=" + inUrl.user() + "&password=" + wrongInUrl + "&loggerLevel=TRACE");
        ResponseEntity<JsonNode> refusedUrl = api.post(CONFIGS, second);
        assertThat(refusedUrl.getStatusCode().value()).isEqualTo(400);
        answers.add(refusedUrl.getBody().toString());

        List<String> leaseIds = new ArrayList<>();
        for (String configId : List.of(firstId, secondId, firstId)) {
            ResponseEntity<JsonNode> issued = api.credentials(configId, "PT5M");
            JsonNode body = expect(issued, 200);
            String password = body.get("credentials").get("password").asString();
            secrets.put("generated password " + secrets.size(), password);
            handedOut.add(body.toString());
            leaseIds.add(body.get("leaseId").asString());
            try (var db = server.login(body.get("credentials").get("username").asString(), password)) {
                assertThat(DynamicSecretsIntegrationTests.count(db)).isEqualTo(2);
            }
        }
        answers.add(expect(api.renew(leaseIds.get(0), "PT6M"), 200).toString());
        answers.add(expect(api.revoke(leaseIds.get(1)), 200).toString());
        answers.add(expect(api.get(CONFIGS), 200).toString());
        answers.add(expect(api.get(CONFIGS + "/" + firstId + "/leases"), 200).toString());
        answers.add(expect(api.get(CONFIGS + "/" + secondId + "/leases"), 200).toString());
        answers.add(api.stats().toString());
        revocation.sweep();

        List<String> rows = SecretSearch.everyRowOfTheSchema(jdbc, "dynamic_secret_config", "dynamic_secret_lease");
        assertThat(rows).anySatisfy(row -> assertThat(row).startsWith("dynamic_secret_config:").contains(firstId));
        secrets.forEach((name, secret) -> {
            List<String> forms = new ArrayList<>(SecretSearch.formsOf(secret.getBytes(StandardCharsets.UTF_8)));
            forms.add(secret);
            SecretSearch.assertFoundNowhere(name, forms, rows, output.getAll(), answers);
        });
        // the search can find: each generated password is in the answer that handed it out, leases are logged
        assertThat(String.join("\n", handedOut)).contains(secrets.values().stream()
                .filter(secret -> handedOut.stream().anyMatch(answer -> answer.contains(secret))).toList());
        assertThat(handedOut).hasSize(3).allSatisfy(answer -> assertThat(secrets.values())
                .anyMatch(answer::contains));
        assertThat(output.getAll()).contains(leaseIds.get(0));
    }
}
