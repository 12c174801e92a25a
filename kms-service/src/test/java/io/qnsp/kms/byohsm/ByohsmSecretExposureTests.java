package io.qnsp.kms.byohsm;

import io.qnsp.kms.KmsApi;
import io.qnsp.test.secrets.SecretSearch;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeAll;
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
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.kms.KmsAssertions.b64;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token's PIN, a connection's credentials and a key handed to the token to wrap are never readable outside the
 * token and the request that carries them: not in any table of the service's schema (every column of every row is
 * searched, sealed values must not open to them without the master key), not in the log captured at DEBUG, and not in
 * any response, error bodies included.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.io.qnsp=DEBUG", "logging.level.org.springframework.web=DEBUG",
                "logging.level.org.springframework.web.client=INFO"})
@ActiveProfiles("test")
@EmbeddedInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class ByohsmSecretExposureTests {

    private static final SecureRandom RANDOM = new SecureRandom();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void tokens() {
        SoftHsmInstallation.requireOrSkip();
    }

    @Test
    void noPinCredentialOrWrappedKeyIsStoredLoggedOrAnswered(CapturedOutput output) {
        KmsApi api = KmsApi.withToken(port, TestTokens.forTenant("tenant-" + UUID.randomUUID()).subject("exposure")
                .scopes(KmsApi.ALL_SCOPES).addOns("byohsm").mint());
        Map<String, String> secrets = new LinkedHashMap<>();
        String pin = SoftHsmTokens.MAIN.pin();
        secrets.put("PIN", pin);
        String wrongPin = "wrong-" + HexFormat.of().formatHex(random(12));
        secrets.put("wrong PIN", wrongPin);
        String apiKey = "ak-" + HexFormat.of().formatHex(random(16));
        secrets.put("credential", apiKey);
        byte[] dataKey = random(32);
        secrets.put("data key", HexFormat.of().formatHex(dataKey));
        List<String> bodies = new ArrayList<>();

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("library", SoftHsmTokens.LIBRARY);
        config.put("slot", SoftHsmTokens.MAIN.slot());
        config.put("pin", pin);
        config.put("credentials", Map.of("type", "api_key", "data", Map.of("apiKey", apiKey)));
        ResponseEntity<JsonNode> created = api.post("/kms/v1/byohsm/connections", Map.of("name", "exposed",
                "provider", "safenet", "connectionConfig", config));
        String connectionId = ok(created, 201).get("connectionId").asString();
        bodies.add(created.getBody().toString());
        ResponseEntity<JsonNode> validated = api.post("/kms/v1/byohsm/connections/" + connectionId + "/validate");
        assertThat(ok(validated).get("valid").asBoolean()).isTrue();
        bodies.add(validated.getBody().toString());

        // a wrong PIN, on a token nobody is logged into, and a refused change that carries a PIN
        ResponseEntity<JsonNode> wrong = api.post("/kms/v1/byohsm/connections", Map.of("name", "wrong",
                "provider", "safenet", "connectionConfig", Map.of("library", SoftHsmTokens.LIBRARY,
                        "slot", SoftHsmTokens.LOCKED.slot(), "pin", wrongPin)));
        String wrongId = ok(wrong, 201).get("connectionId").asString();
        ResponseEntity<JsonNode> refusedLogin = api.post("/kms/v1/byohsm/connections/" + wrongId + "/validate");
        assertThat(ok(refusedLogin).get("valid").asBoolean()).isFalse();
        bodies.add(refusedLogin.getBody().toString());
        ResponseEntity<JsonNode> refusedChange = api.patch("/kms/v1/byohsm/connections/" + connectionId,
                Map.of("connectionConfig", Map.of("pin", pin, "library", "/tmp/other.so")));
        assertThat(refusedChange.getStatusCode().value()).isEqualTo(400);
        bodies.add(refusedChange.getBody().toString());

        // a key wrapped and unwrapped: only the unwrap answer holds it
        String keyId = ok(api.post("/kms/v1/byohsm/keys", Map.of("connectionId", connectionId, "keyType", "aes",
                "purpose", List.of("encrypt", "decrypt"))), 201).get("keyId").asString();
        ResponseEntity<JsonNode> wrapped = api.post("/kms/v1/byohsm/wrap", Map.of("wrappingKeyId", keyId,
                "keyToWrap", b64(dataKey)));
        bodies.add(ok(wrapped).toString());
        assertThat(Base64.getDecoder().decode(ok(api.post("/kms/v1/byohsm/unwrap", Map.of("unwrappingKeyId", keyId,
                "wrappedKey", wrapped.getBody().get("wrappedKey").asString()))).get("unwrappedKey").asString()))
                .isEqualTo(dataKey);
        for (String path : List.of("/kms/v1/byohsm/connections", "/kms/v1/byohsm/connections/" + connectionId,
                "/kms/v1/byohsm/connections/" + connectionId + "/operations", "/kms/v1/byohsm/keys")) {
            bodies.add(ok(api.get(path)).toString());
        }

        List<String> rows = SecretSearch.everyRowOfTheSchema(jdbc, "hsm_connection", "hsm_key", "hsm_operation");
        assertThat(rows).anySatisfy(row -> assertThat(row).startsWith("hsm_connection:").contains(connectionId));
        secrets.forEach((name, secret) -> {
            // as text, and its bytes in hex and base64
            List<String> forms = new ArrayList<>(SecretSearch.formsOf(secret.getBytes(StandardCharsets.UTF_8)));
            forms.add(secret);
            SecretSearch.assertFoundNowhere(name, forms, rows, output.getAll(), bodies);
        });
        // the search can find: the log names the connection, a row its library
        assertThat(output.getAll()).contains(connectionId);
        assertThat(rows).anySatisfy(row -> assertThat(row).contains(SoftHsmTokens.LIBRARY));
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
