package io.qnsp.kms.escrow;

import io.qnsp.kms.KmsApi;
import io.qnsp.kms.KeyMaterialParts;
import io.qnsp.test.secrets.SecretSearch;
import io.qnsp.kms.key.KeyAlgorithm;
import io.qnsp.kms.key.KeyManagement;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
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

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Escrow shares and the escrowed and recovered key material must be readable only in the answers that hand them
 * out: not in any table of the service's schema (every column of every row, the submitted shares being sealed), not
 * in the log captured at DEBUG, not in the error bodies of refused shares. Each secret is searched for in slices of
 * 16 bytes, in hex and in base64 at every alignment.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.io.qnsp=DEBUG", "logging.level.org.springframework.web=DEBUG",
                // the test's own HTTP client logs what it sends: that is not the service's log
                "logging.level.org.springframework.web.client=INFO"})
@ActiveProfiles("test")
@EmbeddedInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class EscrowMaterialExposureTests {


    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    KeyManagement keys;

    @Test
    void noShareOrKeyMaterialIsStoredLoggedOrEchoedInAnError(CapturedOutput output) throws Exception {
        String tenant = "tenant-" + UUID.randomUUID();
        KmsApi requester = api(tenant, "requester");
        KmsApi approver = api(tenant, "approver");
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        List<String> errorBodies = new ArrayList<>();

        String policyId = ok(requester.post("/kms/v1/escrow/policies", Map.of("name", "exposure",
                "escrowAgents", List.of(Map.of("agentId", "alice", "role", "primary"),
                        Map.of("agentId", "bob", "role", "secondary"), Map.of("agentId", "carol", "role", "witness")),
                "recoveryThreshold", 2)), 201).get("policyId").asString();

        for (String algorithm : List.of("AES-256-GCM", "EC-P256", "ML-KEM-768")) {
            String keyId = requester.createKey("escrowed-" + algorithm, algorithm);
            KeyManagement.CurrentMaterial material = keys.currentMaterial(tenant, keyId);
            KeyMaterialParts.secretParts(KeyAlgorithm.fromApiName(algorithm), material.material())
                    .forEach((part, bytes) -> secrets.put(algorithm + " " + part, bytes));
            JsonNode escrowed = ok(requester.post("/kms/v1/escrow/keys", Map.of("keyId", keyId,
                    "policyId", policyId)), 201);
            Map<String, String> shares = new LinkedHashMap<>();
            escrowed.get("shares").forEach(share -> shares.put(share.get("agentId").asString(),
                    share.get("share").asString()));
            shares.forEach((agent, share) -> secrets.put(algorithm + " share of " + agent,
                    Base64.getDecoder().decode(share)));

            String requestId = ok(requester.post("/kms/v1/escrow/recovery/initiate", Map.of("escrowId",
                    escrowed.get("escrowId").asString(), "reason", "exposure test")), 201).get("requestId")
                    .asString();
            // a wrong share (bob's as alice's) is refused without being echoed
            errorBodies.add(refused(submit(requester, requestId, "alice", shares.get("bob")), 400));
            ok(submit(requester, requestId, "alice", shares.get("alice")));
            errorBodies.add(refused(submit(requester, requestId, "alice", shares.get("alice")), 409));
            ok(submit(approver, requestId, "carol", shares.get("carol")));
            ok(approver.post("/kms/v1/escrow/recovery/approve", Map.of("requestId", requestId,
                    "decision", "approve")));
            if (!algorithm.equals("ML-KEM-768")) {
                JsonNode recovered = ok(requester.post("/kms/v1/escrow/recovery/execute",
                        Map.of("requestId", requestId)));
                assertThat(Base64.getDecoder().decode(recovered.get("recoveredKey").asString()))
                        .isEqualTo(material.material());
            }
            // the ML-KEM request stays open, its submitted shares sealed in the table
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM escrow_recovery_share", Integer.class))
                .as("the open request's submitted shares are held (sealed)").isGreaterThanOrEqualTo(2);

        List<String> rows = SecretSearch.everyRowOfTheSchema(jdbc, "escrow_policy", "key_escrow",
                "escrow_share_check", "escrow_recovery", "escrow_recovery_share", "escrow_recovery_decision",
                "escrow_audit_event");
        secrets.forEach((name, secret) -> SecretSearch.assertFoundNowhere(name, SecretSearch.formsOfSlices(secret),
                rows, output.getAll(), errorBodies));
        // the search can find: the log names the escrows, the tables hold the share hashes and sealed shares
        assertThat(output.getAll()).contains("escrowed key");
        assertThat(rows).anySatisfy(row -> assertThat(row).startsWith("escrow_share_check:"));
        assertThat(rows).anySatisfy(row -> assertThat(row).startsWith("escrow_recovery_share:"));
    }

    private KmsApi api(String tenant, String subject) {
        return KmsApi.withToken(port, TestTokens.forTenant(tenant).subject(subject).scopes(KmsApi.ALL_SCOPES)
                .addOns("key-escrow").mint());
    }

    private static ResponseEntity<JsonNode> submit(KmsApi api, String requestId, String agentId, String share) {
        return api.post("/kms/v1/escrow/recovery/submit-share", Map.of("requestId", requestId, "agentId", agentId,
                "share", share));
    }

    private static String refused(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        return response.getBody().toString();
    }

}
