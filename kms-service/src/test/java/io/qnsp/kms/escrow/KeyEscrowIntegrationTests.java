package io.qnsp.kms.escrow;

import io.qnsp.kms.KmsApi;
import io.qnsp.kms.KmsScopes;
import io.qnsp.kms.key.KeyManagement;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import javax.crypto.Cipher;
import javax.crypto.KEM;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ApiAssertions.assertConflict;
import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertForbidden;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.kms.KmsAssertions.b64;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key escrow over real HTTP: policies, escrowing a key into shares, recovery with wrong and duplicate shares and
 * four-eyes approval, the urgency rule, the audit log, tenancy, validation and the controls (scope, add-on).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class KeyEscrowIntegrationTests {

    static final String ADD_ON = "key-escrow";
    private static final SecureRandom RANDOM = new SecureRandom();

    @LocalServerPort
    int port;

    @Autowired
    KeyManagement keys;

    String tenant;
    KmsApi requester;
    KmsApi approver;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        requester = caller(tenant, "requester");
        approver = caller(tenant, "approver");
    }

    KmsApi caller(String tenantId, String subject, String... roles) {
        return KmsApi.withToken(port, TestTokens.forTenant(tenantId).subject(subject).scopes(KmsApi.ALL_SCOPES)
                .roles(roles).addOns(ADD_ON).mint());
    }

    static List<Map<String, String>> agents(int n) {
        List<Map<String, String>> agents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            agents.add(Map.of("agentId", "agent-" + i, "role", i == 0 ? "primary" : i % 2 == 0 ? "witness"
                    : "secondary"));
        }
        return agents;
    }

    String createPolicy(KmsApi api, int agents, int threshold) {
        return ok(api.post("/kms/v1/escrow/policies", Map.of("name", "policy-" + agents + "-" + threshold,
                "description", "test", "keyTypes", List.of("AES-256-GCM", "EC-P256", "ML-KEM-768"),
                "escrowAgents", agents(agents), "recoveryThreshold", threshold, "retentionPeriod", "P365D")), 201)
                .get("policyId").asString();
    }

    JsonNode escrow(KmsApi api, String keyId, String policyId) {
        return ok(api.post("/kms/v1/escrow/keys", Map.of("keyId", keyId, "policyId", policyId,
                "metadata", Map.of("reason", "disaster recovery"))), 201);
    }

    static Map<String, String> shares(JsonNode escrowed) {
        Map<String, String> shares = new HashMap<>();
        escrowed.get("shares").forEach(s -> shares.put(s.get("agentId").asString(), s.get("share").asString()));
        return shares;
    }

    String initiate(KmsApi api, String escrowId, String urgency) {
        JsonNode initiated = ok(api.post("/kms/v1/escrow/recovery/initiate", Map.of("escrowId", escrowId,
                "reason", "lost the HSM", "urgency", urgency)), 201);
        assertThat(initiated.get("status").asString()).isEqualTo("pending_shares");
        assertThat(initiated.get("submittedShares").asInt()).isZero();
        return initiated.get("requestId").asString();
    }

    ResponseEntity<JsonNode> submit(KmsApi api, String requestId, String agentId, String share) {
        return api.post("/kms/v1/escrow/recovery/submit-share", Map.of("requestId", requestId, "agentId", agentId,
                "share", share));
    }

    ResponseEntity<JsonNode> decide(KmsApi api, String requestId, String decision) {
        return api.post("/kms/v1/escrow/recovery/approve", Map.of("requestId", requestId, "decision", decision,
                "reason", "checked"));
    }

    @Test
    void aKeyIsEscrowedAndRecoveredWithWrongAndDuplicateSharesRefusedAndFourEyes() {
        String keyId = requester.createKey("escrowed", "AES-256-GCM");
        String policyId = createPolicy(requester, 5, 3);
        JsonNode escrowed = escrow(requester, keyId, policyId);
        assertThat(escrowed.get("status").asString()).isEqualTo("active");
        assertThat(escrowed.get("keyId").asString()).isEqualTo(keyId);
        assertThat(escrowed.get("policyId").asString()).isEqualTo(policyId);
        assertThat(escrowed.get("shares")).hasSize(5);
        String escrowId = escrowed.get("escrowId").asString();
        Map<String, String> shares = shares(escrowed);

        JsonNode listed = ok(requester.get("/kms/v1/escrow/keys"));
        assertThat(listed.get("escrowedKeys")).hasSize(1);
        assertThat(listed.get("escrowedKeys").get(0).get("escrowId").asString()).isEqualTo(escrowId);
        assertThat(listed.get("escrowedKeys").get(0).toString()).doesNotContain(shares.get("agent-0"));

        String requestId = initiate(requester, escrowId, "normal");
        // another agent's share under this agent's name, a tampered share, and an unknown agent are refused
        assertFieldRefused(submit(requester, requestId, "agent-0", shares.get("agent-1")), "share");
        byte[] tampered = Base64.getDecoder().decode(shares.get("agent-0"));
        tampered[5] ^= 1;
        assertFieldRefused(submit(requester, requestId, "agent-0", b64(tampered)), "share");
        assertFieldRefused(submit(requester, requestId, "agent-9", shares.get("agent-0")), "agentId");

        JsonNode first = ok(submit(requester, requestId, "agent-0", shares.get("agent-0")));
        assertThat(first.get("submittedShares").asInt()).isEqualTo(1);
        assertThat(first.get("requiredShares").asInt()).isEqualTo(3);
        assertThat(first.get("status").asString()).isEqualTo("pending_shares");
        // the same share again is a duplicate
        assertConflict(submit(requester, requestId, "agent-0", shares.get("agent-0")));
        // too early: neither shares nor approval
        assertConflict(requester.post("/kms/v1/escrow/recovery/execute", Map.of("requestId", requestId)));
        ok(submit(approver, requestId, "agent-3", shares.get("agent-3")));
        JsonNode third = ok(submit(requester, requestId, "agent-4", shares.get("agent-4")));
        assertThat(third.get("status").asString()).isEqualTo("ready_for_approval");
        assertConflict(requester.post("/kms/v1/escrow/recovery/execute", Map.of("requestId", requestId)));

        // the requester cannot approve their own request
        assertStatus(decide(requester, requestId, "approve"), 403);
        JsonNode approved = ok(decide(approver, requestId, "approve"));
        assertThat(approved.get("status").asString()).isEqualTo("approved");
        assertThat(approved.get("decidedBy").asString()).isEqualTo("approver");
        assertConflict(decide(approver, requestId, "approve"));

        JsonNode details = ok(requester.get("/kms/v1/escrow/recovery/" + requestId));
        assertThat(details.get("status").asString()).isEqualTo("approved");
        assertThat(details.get("submittedShares").asInt()).isEqualTo(3);
        assertThat(details.get("approvals")).hasSize(1);
        assertThat(details.get("approvals").get(0).get("decidedBy").asString()).isEqualTo("approver");

        JsonNode recovered = ok(requester.post("/kms/v1/escrow/recovery/execute", Map.of("requestId", requestId)));
        assertThat(recovered.get("keyId").asString()).isEqualTo(keyId);
        byte[] material = Base64.getDecoder().decode(recovered.get("recoveredKey").asString());
        assertThat(material).isEqualTo(keys.currentMaterial(tenant, keyId).material());

        // the recovered material imports as a key that works
        String imported = ok(requester.post("/kms/v1/keys", Map.of("name", "restored", "algorithm", "AES-256-GCM",
                "keyMaterial", b64(material))), 201).get("keyId").asString();
        JsonNode encrypted = ok(requester.post("/kms/v1/keys/" + imported + "/encrypt",
                Map.of("plaintext", b64("hello".getBytes()))));
        assertThat(ok(requester.post("/kms/v1/decrypt", Map.of("ciphertext", encrypted.get("ciphertext")
                .asString()))).get("plaintext").asString()).isEqualTo(b64("hello".getBytes()));

        // recovered: closed for good
        assertConflict(requester.post("/kms/v1/escrow/recovery/execute", Map.of("requestId", requestId)));
        assertConflict(submit(requester, requestId, "agent-1", shares.get("agent-1")));
        assertThat(ok(requester.get("/kms/v1/escrow/recovery/" + requestId)).get("status").asString())
                .isEqualTo("recovered");
        assertThat(ok(requester.get("/kms/v1/escrow/keys")).get("escrowedKeys").get(0).get("status").asString())
                .isEqualTo("recovered");
        assertConflict(requester.post("/kms/v1/escrow/recovery/initiate", Map.of("escrowId", escrowId,
                "reason", "again")));

        // every step is in the escrow audit log, the refusals too
        JsonNode events = ok(requester.get("/kms/v1/escrow/audit?escrowId=" + escrowId)).get("events");
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("eventType").asString()));
        assertThat(types).containsExactly("created", "recovery_initiated", "share_rejected", "share_rejected",
                "share_submitted", "share_rejected", "share_submitted", "share_submitted", "approved", "recovered");
        assertThat(events.toString()).doesNotContain(shares.get("agent-0")).doesNotContain(b64(material));
        assertThat(ok(requester.get("/kms/v1/escrow/audit?eventType=approved")).get("events").get(0)
                .get("actor").asString()).isEqualTo("approver");
        assertThat(ok(requester.get("/kms/v1/escrow/audit?since=2999-01-01T00:00:00Z")).get("events")).isEmpty();
    }

    @Test
    void anyThresholdOfSharesRecoversTheKeyOverTheApiAndFewerAreNotEnough() {
        for (int round = 0; round < 4; round++) {
            int n = 1 + RANDOM.nextInt(6);
            int t = 1 + RANDOM.nextInt(n);
            String algorithm = List.of("AES-256-GCM", "EC-P256", "ML-KEM-768").get(RANDOM.nextInt(3));
            String keyId = requester.createKey("k-" + round, algorithm);
            Map<String, String> shares = shares(escrow(requester, keyId, createPolicy(requester, n, t)));
            String escrowId = ok(requester.get("/kms/v1/escrow/keys")).get("escrowedKeys").get(round)
                    .get("escrowId").asString();
            String requestId = initiate(requester, escrowId, "urgent");
            List<String> agents = new ArrayList<>(shares.keySet());
            Collections.shuffle(agents, RANDOM);
            ok(decide(approver, requestId, "approve"));
            for (int i = 0; i < t; i++) {
                if (i == t - 1) {
                    // one short of the threshold: approved, yet not executable
                    assertConflict(requester.post("/kms/v1/escrow/recovery/execute", Map.of("requestId", requestId)));
                }
                ok(submit(requester, requestId, agents.get(i), shares.get(agents.get(i))));
            }
            JsonNode recovered = ok(requester.post("/kms/v1/escrow/recovery/execute", Map.of("requestId", requestId)));
            assertThat(Base64.getDecoder().decode(recovered.get("recoveredKey").asString()))
                    .as("n=%d t=%d %s", n, t, algorithm).isEqualTo(keys.currentMaterial(tenant, keyId).material());
        }
    }

    @Test
    void anEmergencyNeedsTwoApprovalsOrAnAdminAndADenialClosesTheRequest() {
        String keyId = requester.createKey("urgent", "AES-256-GCM");
        String policyId = createPolicy(requester, 2, 1);
        Map<String, String> shares = shares(escrow(requester, keyId, policyId));
        String escrowId = ok(requester.get("/kms/v1/escrow/keys")).get("escrowedKeys").get(0).get("escrowId")
                .asString();

        String emergency = initiate(requester, escrowId, "emergency");
        ok(submit(requester, emergency, "agent-1", shares.get("agent-1")));
        JsonNode one = ok(decide(approver, emergency, "approve"));
        assertThat(one.get("status").asString()).isEqualTo("ready_for_approval");
        assertConflict(requester.post("/kms/v1/escrow/recovery/execute", Map.of("requestId", emergency)));
        assertThat(ok(decide(caller(tenant, "second"), emergency, "approve")).get("status").asString())
                .isEqualTo("approved");

        String byAdmin = initiate(requester, escrowId, "emergency");
        assertThat(ok(decide(caller(tenant, "chief", "admin"), byAdmin, "approve")).get("status").asString())
                .isEqualTo("approved");

        String denied = initiate(requester, escrowId, "normal");
        ok(submit(requester, denied, "agent-0", shares.get("agent-0")));
        assertThat(ok(decide(approver, denied, "deny")).get("status").asString()).isEqualTo("denied");
        assertConflict(decide(caller(tenant, "third"), denied, "approve"));
        assertConflict(requester.post("/kms/v1/escrow/recovery/execute", Map.of("requestId", denied)));
        assertThat(ok(requester.get("/kms/v1/escrow/recovery/" + denied)).get("submittedShares").asInt()).isZero();

        ok(requester.post("/kms/v1/escrow/recovery/execute", Map.of("requestId", emergency)));
    }

    @Test
    void aShareIsSealedToItsAgentsRsaOrMlKemKeyAndOnlyTheAgentOpensIt() throws Exception {
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        KeyPair rsa = rsaGenerator.generateKeyPair();
        KeyPair mlKem = KeyPairGenerator.getInstance("ML-KEM-768").generateKeyPair();
        String policyId = ok(requester.post("/kms/v1/escrow/policies", Map.of("name", "sealed",
                "escrowAgents", List.of(Map.of("agentId", "rsa-agent", "role", "primary", "publicKey",
                                b64(rsa.getPublic().getEncoded())),
                        Map.of("agentId", "pq-agent", "role", "secondary", "publicKey",
                                b64(mlKem.getPublic().getEncoded())),
                        Map.of("agentId", "plain-agent", "role", "witness")),
                "recoveryThreshold", 2)), 201).get("policyId").asString();
        assertThat(ok(requester.get("/kms/v1/escrow/policies/" + policyId)).get("escrowAgents").get(0)
                .get("publicKey").asString()).isEqualTo(b64(rsa.getPublic().getEncoded()));
        String keyId = requester.createKey("sealed", "AES-256-GCM");
        JsonNode escrowed = escrow(requester, keyId, policyId);
        String escrowId = escrowed.get("escrowId").asString();
        Map<String, JsonNode> byAgent = new HashMap<>();
        escrowed.get("shares").forEach(s -> byAgent.put(s.get("agentId").asString(), s));
        assertThat(byAgent.get("rsa-agent").get("sealing").asString()).isEqualTo("RSA-OAEP-256+A256GCM");
        assertThat(byAgent.get("pq-agent").get("sealing").asString()).isEqualTo("ML-KEM-768+A256GCM");
        assertThat(byAgent.get("plain-agent").get("sealing").isNull()).isTrue();

        byte[] rsaShare = open(Base64.getDecoder().decode(byAgent.get("rsa-agent").get("share").asString()),
                escrowId, "rsa-agent", header -> {
                    Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
                    oaep.init(Cipher.DECRYPT_MODE, rsa.getPrivate(), new OAEPParameterSpec("SHA-256", "MGF1",
                            MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
                    return new SecretKeySpec(oaep.doFinal(header), "AES");
                });
        byte[] pqShare = open(Base64.getDecoder().decode(byAgent.get("pq-agent").get("share").asString()),
                escrowId, "pq-agent", header -> KEM.getInstance("ML-KEM").newDecapsulator(mlKem.getPrivate())
                        .decapsulate(header, 0, 32, "AES"));
        String requestId = initiate(requester, escrowId, "normal");
        // the sealed form itself is not the share
        assertFieldRefused(submit(requester, requestId, "rsa-agent", byAgent.get("rsa-agent").get("share")
                .asString()), "share");
        ok(submit(requester, requestId, "rsa-agent", b64(rsaShare)));
        ok(submit(requester, requestId, "pq-agent", b64(pqShare)));
        ok(decide(approver, requestId, "approve"));
        JsonNode recovered = ok(requester.post("/kms/v1/escrow/recovery/execute", Map.of("requestId", requestId)));
        assertThat(Base64.getDecoder().decode(recovered.get("recoveredKey").asString()))
                .isEqualTo(keys.currentMaterial(tenant, keyId).material());

        assertFieldRefused(requester.post("/kms/v1/escrow/policies", Map.of("name", "weak", "recoveryThreshold", 1,
                "escrowAgents", List.of(Map.of("agentId", "a", "role", "primary", "publicKey", "AAAA")))),
                "escrowAgents");
    }

    interface ContentKey {
        SecretKey from(byte[] header) throws Exception;
    }

    /** What an agent does with a sealed share: recover the content key, then open AES-GCM over escrowId/agentId. */
    static byte[] open(byte[] sealed, String escrowId, String agentId, ContentKey contentKey) throws Exception {
        int headerLength = ((sealed[0] & 0xff) << 8) | (sealed[1] & 0xff);
        byte[] header = java.util.Arrays.copyOfRange(sealed, 2, 2 + headerLength);
        byte[] nonce = java.util.Arrays.copyOfRange(sealed, 2 + headerLength, 14 + headerLength);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, contentKey.from(header), new GCMParameterSpec(128, nonce));
        gcm.updateAAD((escrowId + "/" + agentId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return gcm.doFinal(sealed, 14 + headerLength, sealed.length - 14 - headerLength);
    }

    @Test
    void policiesAreListedReadAndUpdatedWithinTheirRules() {
        String policyId = createPolicy(requester, 3, 2);
        JsonNode list = ok(requester.get("/kms/v1/escrow/policies"));
        assertThat(list.get("policies")).hasSize(1);
        assertThat(list.get("policies").get(0).get("recoveryThreshold").asInt()).isEqualTo(2);
        JsonNode policy = ok(requester.get("/kms/v1/escrow/policies/" + policyId));
        assertThat(policy.get("escrowAgents")).hasSize(3);
        assertThat(policy.get("retentionPeriod").asString()).isEqualTo("P365D");
        assertThat(policy.get("keyTypes")).hasSize(3);

        JsonNode updated = ok(requester.patch("/kms/v1/escrow/policies/" + policyId, Map.of("name", "renamed",
                "escrowAgents", agents(4), "recoveryThreshold", 4)));
        assertThat(updated.get("policyId").asString()).isEqualTo(policyId);
        JsonNode read = ok(requester.get("/kms/v1/escrow/policies/" + policyId));
        assertThat(read.get("name").asString()).isEqualTo("renamed");
        assertThat(read.get("recoveryThreshold").asInt()).isEqualTo(4);
        assertFieldRefused(requester.patch("/kms/v1/escrow/policies/" + policyId, Map.of("recoveryThreshold", 5)),
                "recoveryThreshold");
        assertFieldRefused(requester.patch("/kms/v1/escrow/policies/" + policyId,
                Map.of("escrowAgents", agents(2))), "recoveryThreshold");

        // a key type outside the policy is refused
        String rsa = requester.createKey("rsa", "RSA-3072");
        assertFieldRefused(requester.post("/kms/v1/escrow/keys", Map.of("keyId", rsa, "policyId", policyId)), "keyId");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        String policyId = createPolicy(requester, 2, 2);
        Map<String, Object> good = Map.of("name", "p", "escrowAgents", agents(2), "recoveryThreshold", 1);
        assertFieldRefused(requester.post("/kms/v1/escrow/policies", with(good, "recoveryThreshold", 3)),
                "recoveryThreshold");
        assertFieldRefused(requester.post("/kms/v1/escrow/policies", with(good, "recoveryThreshold", 0)),
                "recoveryThreshold");
        assertFieldRefused(requester.post("/kms/v1/escrow/policies", with(good, "name", " ")), "name");
        assertFieldRefused(requester.post("/kms/v1/escrow/policies", with(good, "escrowAgents", List.of())),
                "escrowAgents");
        assertFieldRefused(requester.post("/kms/v1/escrow/policies", with(good, "escrowAgents",
                List.of(Map.of("agentId", "a", "role", "boss")))), "escrowAgents");
        assertFieldRefused(requester.post("/kms/v1/escrow/policies", with(good, "escrowAgents",
                List.of(Map.of("agentId", "a", "role", "primary"), Map.of("agentId", "a", "role", "witness")))),
                "escrowAgents");
        assertFieldRefused(requester.post("/kms/v1/escrow/policies", with(good, "keyTypes", List.of("DES"))),
                "keyTypes");
        assertFieldRefused(requester.post("/kms/v1/escrow/policies", with(good, "retentionPeriod", "a year")),
                "retentionPeriod");
        assertFieldRefused(requester.patch("/kms/v1/escrow/policies/" + policyId, Map.of("name", "x".repeat(201))),
                "name");

        String keyId = requester.createKey("bad-input", "AES-256-GCM");
        assertFieldRefused(requester.post("/kms/v1/escrow/keys", Map.of("policyId", policyId)), "keyId");
        assertFieldRefused(requester.post("/kms/v1/escrow/keys", Map.of("keyId", keyId)), "policyId");
        assertFieldRefused(requester.post("/kms/v1/escrow/keys", Map.of("keyId", keyId, "policyId", "nope")),
                "policyId");
        assertFieldRefused(requester.post("/kms/v1/escrow/keys", Map.of("keyId", keyId, "policyId", policyId,
                "metadata", Map.of("expiresAt", "tomorrow"))), "metadata.expiresAt");
        assertFieldRefused(requester.post("/kms/v1/escrow/keys", Map.of("keyId", keyId, "policyId", policyId,
                "metadata", Map.of("expiresAt", "2001-01-01T00:00:00Z"))), "metadata.expiresAt");

        String escrowId = escrow(requester, keyId, policyId).get("escrowId").asString();
        assertFieldRefused(requester.post("/kms/v1/escrow/recovery/initiate", Map.of("escrowId", escrowId)),
                "reason");
        assertFieldRefused(requester.post("/kms/v1/escrow/recovery/initiate", Map.of("escrowId", escrowId,
                "reason", "r", "urgency", "critical")), "urgency");
        assertFieldRefused(requester.post("/kms/v1/escrow/recovery/initiate", Map.of("reason", "r")), "escrowId");
        String requestId = initiate(requester, escrowId, "normal");
        assertFieldRefused(requester.post("/kms/v1/escrow/recovery/submit-share", Map.of("requestId", requestId,
                "agentId", "agent-0")), "share");
        assertFieldRefused(submit(requester, requestId, "agent-0", "not base64!"), "share");
        assertFieldRefused(requester.post("/kms/v1/escrow/recovery/submit-share", Map.of("requestId", requestId,
                "share", "AAAA")), "agentId");
        assertFieldRefused(submit(requester, "x", "agent-0", "AAAA"), "requestId");
        assertFieldRefused(requester.post("/kms/v1/escrow/recovery/approve", Map.of("requestId", requestId,
                "decision", "maybe")), "decision");
        assertFieldRefused(approver.post("/kms/v1/escrow/recovery/approve", Map.of("decision", "approve")),
                "requestId");
        assertFieldRefused(requester.post("/kms/v1/escrow/recovery/execute", Map.of()), "requestId");
        assertFieldRefused(requester.get("/kms/v1/escrow/audit?since=yesterday"), "since");
        assertFieldRefused(requester.get("/kms/v1/escrow/audit?eventType=exploded"), "eventType");
        assertFieldRefused(requester.get("/kms/v1/escrow/audit?escrowId=abc"), "escrowId");
    }

    @Test
    void anotherTenantsPoliciesKeysEscrowsAndRequestsAreNotFound() {
        String keyId = requester.createKey("mine", "AES-256-GCM");
        String policyId = createPolicy(requester, 2, 1);
        Map<String, String> shares = shares(escrow(requester, keyId, policyId));
        String escrowId = ok(requester.get("/kms/v1/escrow/keys")).get("escrowedKeys").get(0).get("escrowId")
                .asString();
        String requestId = initiate(requester, escrowId, "normal");

        KmsApi other = caller("tenant-" + UUID.randomUUID(), "intruder");
        String otherPolicy = createPolicy(other, 2, 1);
        String otherKey = other.createKey("theirs", "AES-256-GCM");
        assertStatus(other.get("/kms/v1/escrow/policies/" + policyId), 404);
        assertStatus(other.get("/kms/v1/escrow/policies/not-a-uuid"), 404);
        assertStatus(other.patch("/kms/v1/escrow/policies/" + policyId, Map.of("name", "x")), 404);
        assertStatus(other.post("/kms/v1/escrow/keys", Map.of("keyId", keyId, "policyId", otherPolicy)), 404);
        assertStatus(other.post("/kms/v1/escrow/keys", Map.of("keyId", otherKey, "policyId", policyId)), 404);
        assertStatus(other.post("/kms/v1/escrow/recovery/initiate", Map.of("escrowId", escrowId, "reason", "r")),
                404);
        assertStatus(submit(other, requestId, "agent-0", shares.get("agent-0")), 404);
        assertStatus(decide(other, requestId, "approve"), 404);
        assertStatus(other.post("/kms/v1/escrow/recovery/execute", Map.of("requestId", requestId)), 404);
        assertStatus(other.get("/kms/v1/escrow/recovery/" + requestId), 404);
        assertThat(ok(other.get("/kms/v1/escrow/keys")).get("escrowedKeys")).isEmpty();
        assertThat(ok(other.get("/kms/v1/escrow/policies")).get("policies")).hasSize(1);
        assertThat(ok(other.get("/kms/v1/escrow/audit?escrowId=" + escrowId)).get("events")).isEmpty();
        // nothing happened to the owner's request
        assertThat(ok(requester.get("/kms/v1/escrow/recovery/" + requestId)).get("submittedShares").asInt()).isZero();
    }

    @Test
    void everyEscrowEndpointNeedsATokenItsScopeAndTheAddOn() {
        String keyId = requester.createKey("guarded", "AES-256-GCM");
        String policyId = createPolicy(requester, 2, 1);
        String escrowId = escrow(requester, keyId, policyId).get("escrowId").asString();
        String requestId = initiate(requester, escrowId, "normal");

        KmsApi anonymous = KmsApi.withToken(port, null);
        KmsApi reader = KmsApi.withToken(port, TestTokens.forTenant(tenant).subject("reader")
                .scopes(KmsScopes.READ).addOns(ADD_ON).mint());
        KmsApi user = KmsApi.withToken(port, TestTokens.forTenant(tenant).subject("user")
                .scopes(KmsScopes.USE).addOns(ADD_ON).mint());
        KmsApi withoutAddOn = KmsApi.of(port, tenant, "plain", KmsApi.ALL_SCOPES);

        for (KmsApi refused : List.of(anonymous, withoutAddOn)) {
            List<ResponseEntity<JsonNode>> answers = List.of(
                    refused.post("/kms/v1/escrow/policies", Map.of("name", "p", "escrowAgents", agents(1),
                            "recoveryThreshold", 1)),
                    refused.get("/kms/v1/escrow/policies"),
                    refused.get("/kms/v1/escrow/policies/" + policyId),
                    refused.patch("/kms/v1/escrow/policies/" + policyId, Map.of("name", "n")),
                    refused.post("/kms/v1/escrow/keys", Map.of("keyId", keyId, "policyId", policyId)),
                    refused.get("/kms/v1/escrow/keys"),
                    refused.post("/kms/v1/escrow/recovery/initiate", Map.of("escrowId", escrowId, "reason", "r")),
                    submit(refused, requestId, "agent-0", "AAAA"),
                    decide(refused, requestId, "approve"),
                    refused.post("/kms/v1/escrow/recovery/execute", Map.of("requestId", requestId)),
                    refused.get("/kms/v1/escrow/recovery/" + requestId),
                    refused.get("/kms/v1/escrow/audit"));
            int expected = refused == anonymous ? 401 : 403;
            for (ResponseEntity<JsonNode> answer : answers) {
                assertThat(answer.getStatusCode().value()).as("%s", answer.getBody()).isEqualTo(expected);
                if (expected == 403) {
                    assertThat(answer.getBody().get("details").get("addOn").asString()).isEqualTo(ADD_ON);
                }
            }
        }
        // reading needs kms:read, changing kms:write
        for (ResponseEntity<JsonNode> read : List.of(user.get("/kms/v1/escrow/policies"),
                user.get("/kms/v1/escrow/policies/" + policyId), user.get("/kms/v1/escrow/keys"),
                user.get("/kms/v1/escrow/recovery/" + requestId), user.get("/kms/v1/escrow/audit"))) {
            assertForbidden(read, KmsScopes.READ);
        }
        for (ResponseEntity<JsonNode> change : List.of(
                reader.post("/kms/v1/escrow/policies", Map.of("name", "p")),
                reader.patch("/kms/v1/escrow/policies/" + policyId, Map.of("name", "n")),
                reader.post("/kms/v1/escrow/keys", Map.of("keyId", keyId, "policyId", policyId)),
                reader.post("/kms/v1/escrow/recovery/initiate", Map.of("escrowId", escrowId, "reason", "r")),
                submit(reader, requestId, "agent-0", "AAAA"),
                decide(reader, requestId, "approve"),
                reader.post("/kms/v1/escrow/recovery/execute", Map.of("requestId", requestId)))) {
            assertForbidden(change, KmsScopes.WRITE);
        }
        // nothing changed
        assertThat(ok(requester.get("/kms/v1/escrow/recovery/" + requestId)).get("status").asString())
                .isEqualTo("pending_shares");
        assertThat(ok(requester.get("/kms/v1/escrow/policies/" + policyId)).get("name").asString())
                .isEqualTo("policy-2-1");
    }

    private static Map<String, Object> with(Map<String, Object> base, String field, Object value) {
        Map<String, Object> changed = new HashMap<>(base);
        changed.put(field, value);
        return changed;
    }
}
