package io.qnsp.kms.key;

import io.qnsp.kms.KmsApi;
import io.qnsp.kms.KmsScopes;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ApiAssertions.assertConflict;
import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertForbidden;
import static io.qnsp.kms.KmsAssertions.b64;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys and their operations over real HTTP: every algorithm before and after a rotation (also to another
 * algorithm), tampered ciphertexts and wrong encryption contexts, the lifecycle, tenancy and the controls.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class KeyOperationsIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    KeyManagement management;

    String tenant;
    KmsApi api;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = KmsApi.of(port, tenant, "app-1", KmsApi.ALL_SCOPES);
    }

    // ---- every algorithm, before and after a rotation ----

    @ParameterizedTest
    @ValueSource(strings = {"AES-256-GCM", "RSA-3072", "ML-KEM-768"})
    void aValueEncryptedBeforeARotationStillDecryptsAfterIt(String algorithm) {
        String keyId = api.createKey("enc-" + algorithm, algorithm);
        Map<String, String> context = Map.of("tenant", "acme", "purpose", "invoices");
        byte[] secret = ("card 4111-1111 under " + algorithm).getBytes(StandardCharsets.UTF_8);

        JsonNode before = ok(api.post("/kms/v1/keys/" + keyId + "/encrypt",
                Map.of("plaintext", b64(secret), "encryptionContext", context)));
        assertThat(before.get("keyVersion").asInt()).isEqualTo(1);
        assertThat(before.get("algorithm").asString()).isEqualTo(algorithm);

        JsonNode rotated = ok(api.post("/kms/v1/keys/" + keyId + "/rotate"));
        assertThat(rotated.get("currentVersion").asInt()).isEqualTo(2);
        assertThat(rotated.get("versions")).hasSize(2);
        assertThat(rotated.get("rotatedAt").isNull()).isFalse();

        JsonNode after = ok(api.post("/kms/v1/keys/" + keyId + "/encrypt",
                Map.of("plaintext", b64(secret), "encryptionContext", context)));
        assertThat(after.get("keyVersion").asInt()).isEqualTo(2);

        // the context's order does not matter: it is canonicalised
        Map<String, String> reordered = new java.util.LinkedHashMap<>();
        reordered.put("purpose", "invoices");
        reordered.put("tenant", "acme");
        for (JsonNode encrypted : List.of(before, after)) {
            JsonNode decrypted = ok(api.post("/kms/v1/decrypt", Map.of("ciphertext",
                    encrypted.get("ciphertext").asString(), "encryptionContext", reordered)));
            assertThat(Base64.getDecoder().decode(decrypted.get("plaintext").asString())).isEqualTo(secret);
            assertThat(decrypted.get("keyId").asString()).isEqualTo(keyId);
            assertThat(decrypted.get("keyVersion").asInt()).isEqualTo(encrypted.get("keyVersion").asInt());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES-256-GCM", "RSA-3072", "ML-KEM-768"})
    void aCiphertextAlteredByOneBitOrGivenAnotherContextIsRefusedAndRevealsNothing(String algorithm) {
        String keyId = api.createKey("tamper-" + algorithm, algorithm);
        byte[] secret = "the launch code is 0000".getBytes(StandardCharsets.UTF_8);
        Map<String, String> context = Map.of("order", "42");
        byte[] ciphertext = Base64.getDecoder().decode(ok(api.post("/kms/v1/keys/" + keyId + "/encrypt",
                Map.of("plaintext", b64(secret), "encryptionContext", context))).get("ciphertext").asString());

        // one bit in the header (magic, key id, version), and across the payload to its last byte
        List<Integer> positions = List.of(0, 1, 5, 17, 21, 22, 30, ciphertext.length / 2, ciphertext.length - 17,
                ciphertext.length - 1);
        for (int position : positions) {
            for (int bit : new int[]{0, 7}) {
                byte[] altered = ciphertext.clone();
                altered[position] ^= (byte) (1 << bit);
                ResponseEntity<JsonNode> refused = api.post("/kms/v1/decrypt",
                        Map.of("ciphertext", b64(altered), "encryptionContext", context));
                assertThat(refused.getStatusCode().value()).as("bit %d of byte %d", bit, position).isEqualTo(400);
                assertThat(refused.getBody().get("error").asString()).isEqualTo("INVALID_CIPHERTEXT");
                assertThat(refused.getBody().get("details").get("field").asString()).isEqualTo("ciphertext");
                assertThat(refused.getBody().toString()).doesNotContain(b64(secret)).doesNotContain("launch");
            }
        }
        for (Map<String, String> wrong : List.of(Map.<String, String>of(), Map.of("order", "43"),
                Map.of("order", "42", "extra", "x"), Map.of("Order", "42"))) {
            ResponseEntity<JsonNode> refused = api.post("/kms/v1/decrypt",
                    Map.of("ciphertext", b64(ciphertext), "encryptionContext", wrong));
            assertThat(refused.getStatusCode().value()).as("context %s", wrong).isEqualTo(400);
            assertThat(refused.getBody().toString()).doesNotContain(b64(secret));
        }
        // truncated
        ResponseEntity<JsonNode> truncated = api.post("/kms/v1/decrypt", Map.of("ciphertext",
                b64(java.util.Arrays.copyOf(ciphertext, ciphertext.length - 1)), "encryptionContext", context));
        assertThat(truncated.getStatusCode().value()).isEqualTo(400);
        // and the untouched one still decrypts
        assertThat(ok(api.post("/kms/v1/decrypt", Map.of("ciphertext", b64(ciphertext), "encryptionContext",
                context))).get("plaintext").asString()).isEqualTo(b64(secret));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA-3072", "EC-P256", "ML-DSA-65"})
    void aSignatureMadeBeforeARotationStillVerifiesAfterIt(String algorithm) {
        Map<String, Object> create = new HashMap<>(Map.of("name", "sig-" + algorithm, "algorithm", algorithm));
        if (algorithm.equals("RSA-3072")) {
            create.put("usage", "sign_verify");
        }
        String keyId = ok(api.post("/kms/v1/keys", create), 201).get("keyId").asString();
        byte[] message = ("release v1.2.3 built by " + algorithm).getBytes(StandardCharsets.UTF_8);
        JsonNode signedBefore = ok(api.post("/kms/v1/keys/" + keyId + "/sign", Map.of("message", b64(message))));
        assertThat(signedBefore.get("keyVersion").asInt()).isEqualTo(1);

        ok(api.post("/kms/v1/keys/" + keyId + "/rotate"));
        JsonNode signedAfter = ok(api.post("/kms/v1/keys/" + keyId + "/sign", Map.of("message", b64(message))));
        assertThat(signedAfter.get("keyVersion").asInt()).isEqualTo(2);

        for (JsonNode signed : List.of(signedBefore, signedAfter)) {
            JsonNode verified = ok(api.post("/kms/v1/keys/" + keyId + "/verify",
                    Map.of("message", b64(message), "signature", signed.get("signature").asString())));
            assertThat(verified.get("valid").asBoolean()).isTrue();
            assertThat(verified.get("keyVersion").asInt()).isEqualTo(signed.get("keyVersion").asInt());
            // naming the wrong version is an honest "not valid"
            int other = 3 - signed.get("keyVersion").asInt();
            assertThat(ok(api.post("/kms/v1/keys/" + keyId + "/verify", Map.of("message", b64(message),
                    "signature", signed.get("signature").asString(), "keyVersion", other))).get("valid").asBoolean())
                    .isFalse();
        }
        byte[] altered = message.clone();
        altered[0] ^= 1;
        JsonNode forged = ok(api.post("/kms/v1/keys/" + keyId + "/verify",
                Map.of("message", b64(altered), "signature", signedBefore.get("signature").asString())));
        assertThat(forged.get("valid").asBoolean()).isFalse();
        assertThat(forged.get("keyVersion").isNull()).isTrue();
    }

    @Test
    void anEncapsulationBeforeARotationStillDecapsulatesAfterIt() {
        String keyId = api.createKey("kem", "ML-KEM-768");
        JsonNode before = ok(api.post("/kms/v1/keys/" + keyId + "/encapsulate"));
        assertThat(Base64.getDecoder().decode(before.get("encapsulation").asString())).hasSize(1088);
        assertThat(Base64.getDecoder().decode(before.get("sharedSecret").asString())).hasSize(32);
        ok(api.post("/kms/v1/keys/" + keyId + "/rotate"));

        JsonNode recovered = ok(api.post("/kms/v1/keys/" + keyId + "/decapsulate",
                Map.of("encapsulation", before.get("encapsulation").asString(), "keyVersion", 1)));
        assertThat(recovered.get("sharedSecret").asString()).isEqualTo(before.get("sharedSecret").asString());
        // the current version (2) answers a different secret: ML-KEM's implicit rejection
        JsonNode withCurrent = ok(api.post("/kms/v1/keys/" + keyId + "/decapsulate",
                Map.of("encapsulation", before.get("encapsulation").asString())));
        assertThat(withCurrent.get("keyVersion").asInt()).isEqualTo(2);
        assertThat(withCurrent.get("sharedSecret").asString()).isNotEqualTo(before.get("sharedSecret").asString());
        // a wrong length is refused, naming the field
        ResponseEntity<JsonNode> shortOne = api.post("/kms/v1/keys/" + keyId + "/decapsulate",
                Map.of("encapsulation", b64(new byte[100])));
        assertThat(shortOne.getStatusCode().value()).isEqualTo(400);
        assertThat(shortOne.getBody().get("details").get("field").asString()).isEqualTo("encapsulation");
    }

    @Test
    void aKeyRotatedToAPostQuantumAlgorithmKeepsOpeningWhatItsClassicalVersionsMade() {
        String rsa = api.createKey("legacy-rsa", "RSA-3072");
        byte[] secret = "archived before the migration".getBytes(StandardCharsets.UTF_8);
        String oldCiphertext = ok(api.post("/kms/v1/keys/" + rsa + "/encrypt", Map.of("plaintext", b64(secret))))
                .get("ciphertext").asString();
        JsonNode migrated = ok(api.post("/kms/v1/keys/" + rsa + "/rotate", Map.of("algorithm", "ML-KEM-768")));
        assertThat(migrated.get("algorithm").asString()).isEqualTo("ML-KEM-768");
        assertThat(migrated.get("usage").asString()).isEqualTo("key_encapsulation");
        assertThat(migrated.get("versions").get(0).get("algorithm").asString()).isEqualTo("RSA-3072");
        assertThat(migrated.get("versions").get(1).get("algorithm").asString()).isEqualTo("ML-KEM-768");

        JsonNode fresh = ok(api.post("/kms/v1/keys/" + rsa + "/encrypt", Map.of("plaintext", b64(secret))));
        assertThat(fresh.get("algorithm").asString()).isEqualTo("ML-KEM-768");
        for (String ciphertext : List.of(oldCiphertext, fresh.get("ciphertext").asString())) {
            assertThat(ok(api.post("/kms/v1/decrypt", Map.of("ciphertext", ciphertext))).get("plaintext").asString())
                    .isEqualTo(b64(secret));
        }

        String ec = api.createKey("legacy-ec", "EC-P256");
        String oldSignature = ok(api.post("/kms/v1/keys/" + ec + "/sign", Map.of("message", b64(secret))))
                .get("signature").asString();
        ok(api.post("/kms/v1/keys/" + ec + "/rotate", Map.of("algorithm", "ML-DSA-65")));
        assertThat(ok(api.post("/kms/v1/keys/" + ec + "/verify", Map.of("message", b64(secret), "signature",
                oldSignature))).get("keyVersion").asInt()).isEqualTo(1);

        // a signing key cannot become an encrypting one
        ResponseEntity<JsonNode> refused = api.post("/kms/v1/keys/" + ec + "/rotate", Map.of("algorithm", "AES-256-GCM"));
        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getBody().get("details").get("field").asString()).isEqualTo("algorithm");
        assertThat(ok(api.get("/kms/v1/keys/" + ec)).get("currentVersion").asInt()).isEqualTo(2);
    }

    @Test
    void aDataKeyEncryptsLocallyAndItsCiphertextDecryptsBackToTheSameKey() {
        String keyId = api.createKey("envelope", "AES-256-GCM");
        JsonNode dataKey = ok(api.post("/kms/v1/keys/" + keyId + "/generate-data-key",
                Map.of("encryptionContext", Map.of("bucket", "reports"))));
        byte[] plaintextKey = Base64.getDecoder().decode(dataKey.get("plaintext").asString());
        assertThat(plaintextKey).hasSize(32);
        JsonNode opened = ok(api.post("/kms/v1/decrypt", Map.of("ciphertext", dataKey.get("ciphertext").asString(),
                "encryptionContext", Map.of("bucket", "reports"))));
        assertThat(Base64.getDecoder().decode(opened.get("plaintext").asString())).isEqualTo(plaintextKey);

        JsonNode small = ok(api.post("/kms/v1/keys/" + keyId + "/generate-data-key", Map.of("keySpec", "AES_128")));
        assertThat(Base64.getDecoder().decode(small.get("plaintext").asString())).hasSize(16);
        ResponseEntity<JsonNode> badSpec = api.post("/kms/v1/keys/" + keyId + "/generate-data-key",
                Map.of("keySpec", "DES"));
        assertThat(badSpec.getStatusCode().value()).isEqualTo(400);
        assertThat(badSpec.getBody().get("details").get("field").asString()).isEqualTo("keySpec");
    }

    // ---- lifecycle ----

    @Test
    void aDisabledOrDeletionPendingKeyPerformsNothingUntilBroughtBack() {
        String keyId = api.createKey("lifecycle", "AES-256-GCM");
        String ciphertext = ok(api.post("/kms/v1/keys/" + keyId + "/encrypt", Map.of("plaintext", b64(new byte[]{1}))))
                .get("ciphertext").asString();

        assertThat(ok(api.post("/kms/v1/keys/" + keyId + "/disable")).get("state").asString()).isEqualTo("disabled");
        assertConflict(api.post("/kms/v1/keys/" + keyId + "/encrypt", Map.of("plaintext", b64(new byte[]{1}))));
        assertConflict(api.post("/kms/v1/decrypt", Map.of("ciphertext", ciphertext)));
        assertConflict(api.post("/kms/v1/keys/" + keyId + "/rotate"));
        assertThat(ok(api.post("/kms/v1/keys/" + keyId + "/enable")).get("state").asString()).isEqualTo("enabled");
        ok(api.post("/kms/v1/decrypt", Map.of("ciphertext", ciphertext)));

        JsonNode scheduled = ok(api.post("/kms/v1/keys/" + keyId + "/schedule-deletion",
                Map.of("pendingWindowInDays", 7)));
        assertThat(scheduled.get("state").asString()).isEqualTo("pending_deletion");
        java.time.Instant deletionDate = java.time.Instant.parse(scheduled.get("deletionDate").asString());
        assertThat(deletionDate).isBetween(java.time.Instant.now().plus(java.time.Duration.ofDays(7)).minusSeconds(60),
                java.time.Instant.now().plus(java.time.Duration.ofDays(7)).plusSeconds(60));
        assertConflict(api.post("/kms/v1/decrypt", Map.of("ciphertext", ciphertext)));
        assertConflict(api.post("/kms/v1/keys/" + keyId + "/enable"));
        assertConflict(api.post("/kms/v1/keys/" + keyId + "/schedule-deletion"));

        JsonNode cancelled = ok(api.post("/kms/v1/keys/" + keyId + "/cancel-deletion"));
        assertThat(cancelled.get("state").asString()).isEqualTo("disabled");
        assertThat(cancelled.get("deletionDate").isNull()).isTrue();
        assertConflict(api.post("/kms/v1/keys/" + keyId + "/cancel-deletion"));
        ok(api.post("/kms/v1/keys/" + keyId + "/enable"));
        ok(api.post("/kms/v1/decrypt", Map.of("ciphertext", ciphertext)));

        for (int days : new int[]{6, 31}) {
            ResponseEntity<JsonNode> refused = api.post("/kms/v1/keys/" + keyId + "/schedule-deletion",
                    Map.of("pendingWindowInDays", days));
            assertThat(refused.getStatusCode().value()).isEqualTo(400);
            assertThat(refused.getBody().get("details").get("field").asString()).isEqualTo("pendingWindowInDays");
        }
    }

    @Test
    void aKeyWhoseWaitingPeriodHasPassedIsDestroyed() {
        String keyId = api.createKey("doomed", "ML-DSA-65");
        String kept = api.createKey("kept", "ML-DSA-65");
        ok(api.post("/kms/v1/keys/" + keyId + "/schedule-deletion"));
        ok(api.post("/kms/v1/keys/" + kept + "/schedule-deletion"));
        // the waiting period of one of them has passed
        jdbc.update("UPDATE kms_key SET deletion_date = now() - interval '1 second' WHERE key_id = ?::uuid", keyId);

        assertThat(management.destroyDueKeys()).isEqualTo(1);

        assertThat(api.get("/kms/v1/keys/" + keyId).getStatusCode().value()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kms_key_version WHERE key_id = ?::uuid", Long.class,
                keyId)).isZero();
        assertThat(ok(api.get("/kms/v1/keys/" + kept)).get("state").asString()).isEqualTo("pending_deletion");
        // the name is free again
        api.createKey("doomed", "AES-256-GCM");
    }

    @Test
    void keysAreListedOldestFirstWithFiltersAndPages() {
        String a = api.createKey("a", "AES-256-GCM");
        String b = api.createKey("b", "ML-KEM-768");
        String c = api.createKey("c", "ML-KEM-768");
        ok(api.post("/kms/v1/keys/" + c + "/disable"));

        JsonNode all = ok(api.get("/kms/v1/keys"));
        assertThat(all.get("total").asLong()).isEqualTo(3);
        assertThat(all.get("keys").valueStream().map(k -> k.get("keyId").asString())).containsExactly(a, b, c);
        JsonNode pqc = ok(api.get("/kms/v1/keys?algorithm=ML-KEM-768&state=enabled"));
        assertThat(pqc.get("keys").valueStream().map(k -> k.get("keyId").asString())).containsExactly(b);
        JsonNode page = ok(api.get("/kms/v1/keys?limit=1&offset=1"));
        assertThat(page.get("keys").valueStream().map(k -> k.get("keyId").asString())).containsExactly(b);
        assertThat(page.get("total").asLong()).isEqualTo(3);

        assertFieldRefused(api.get("/kms/v1/keys?limit=0"), "limit");
        assertFieldRefused(api.get("/kms/v1/keys?limit=101"), "limit");
        assertFieldRefused(api.get("/kms/v1/keys?offset=-1"), "offset");
        assertFieldRefused(api.get("/kms/v1/keys?state=deleted"), "state");
        assertFieldRefused(api.get("/kms/v1/keys?algorithm=DES"), "algorithm");
    }

    // ---- validation, tenancy, controls ----

    @Test
    void badKeyRequestsAreRefusedNamingTheField() {
        assertFieldRefused(api.post("/kms/v1/keys", Map.of("algorithm", "AES-256-GCM")), "name");
        assertFieldRefused(api.post("/kms/v1/keys", Map.of("name", "x")), "algorithm");
        ResponseEntity<JsonNode> unknown = api.post("/kms/v1/keys", Map.of("name", "x", "algorithm", "DES"));
        assertFieldRefused(unknown, "algorithm");
        assertThat(unknown.getBody().get("details").get("allowedAlgorithms").toString()).contains("ML-KEM-768");
        assertFieldRefused(api.post("/kms/v1/keys", Map.of("name", "x", "algorithm", "EC-P256",
                "usage", "encrypt_decrypt")), "usage");
        assertFieldRefused(api.post("/kms/v1/keys", Map.of("name", "x".repeat(129), "algorithm", "EC-P256")), "name");
        assertFieldRefused(api.post("/kms/v1/keys", Map.of("name", "x", "algorithm", "AES-256-GCM",
                "keyMaterial", "not base64!")), "keyMaterial");
        assertFieldRefused(api.post("/kms/v1/keys", Map.of("name", "x", "algorithm", "AES-256-GCM",
                "keyMaterial", b64(new byte[16]))), "keyMaterial");
        assertFieldRefused(api.postJson("/kms/v1/keys", "{\"name\": 5, \"algorithm\": [1]}"), "algorithm");
        ResponseEntity<JsonNode> malformed = api.postJson("/kms/v1/keys", "{\"name\": ");
        assertThat(malformed.getStatusCode().value()).isEqualTo(400);

        api.createKey("taken", "AES-256-GCM");
        ResponseEntity<JsonNode> duplicate = api.post("/kms/v1/keys", Map.of("name", "TAKEN", "algorithm", "EC-P256"));
        assertThat(duplicate.getStatusCode().value()).isEqualTo(409);
        assertThat(duplicate.getBody().get("details").get("field").asString()).isEqualTo("name");

        String aes = api.createKey("ops", "AES-256-GCM");
        assertFieldRefused(api.post("/kms/v1/keys/" + aes + "/encrypt", Map.of()), "plaintext");
        assertFieldRefused(api.post("/kms/v1/keys/" + aes + "/encrypt", Map.of("plaintext", "%%%")), "plaintext");
        assertFieldRefused(api.post("/kms/v1/keys/" + aes + "/encrypt", Map.of("plaintext",
                b64(new byte[CryptoOperations.MAX_DATA_BYTES + 1]))), "plaintext");
        assertFieldRefused(api.post("/kms/v1/keys/" + aes + "/sign", Map.of("message", b64(new byte[1]))), "keyId");
        assertFieldRefused(api.post("/kms/v1/keys/" + aes + "/encapsulate"), "keyId");
        assertFieldRefused(api.post("/kms/v1/decrypt", Map.of()), "ciphertext");
        String rsa = api.createKey("rsa", "RSA-3072");
        assertFieldRefused(api.post("/kms/v1/keys/" + rsa + "/encrypt", Map.of("plaintext", b64(new byte[319]))),
                "plaintext");
        assertFieldRefused(api.get("/kms/v1/keys/" + aes + "/public-key"), "keyId");
        String ec = api.createKey("ec", "EC-P256");
        assertFieldRefused(api.post("/kms/v1/keys/" + ec + "/verify", Map.of("message", b64(new byte[1]))),
                "signature");
        assertFieldRefused(api.post("/kms/v1/keys/" + ec + "/verify", Map.of("message", b64(new byte[1]),
                "signature", b64(new byte[64]), "keyVersion", 9)), "keyVersion");
        assertFieldRefused(api.get("/kms/v1/keys/" + ec + "/public-key?version=2"), "version");
    }

    @Test
    void anotherTenantsKeyIsNotFoundAndItsCiphertextsDoNotOpen() {
        String keyId = api.createKey("mine", "AES-256-GCM");
        String ciphertext = ok(api.post("/kms/v1/keys/" + keyId + "/encrypt", Map.of("plaintext", b64(new byte[]{7}))))
                .get("ciphertext").asString();
        KmsApi other = KmsApi.of(port, "other-" + UUID.randomUUID(), "app-9", KmsApi.ALL_SCOPES);

        for (ResponseEntity<JsonNode> response : List.of(other.get("/kms/v1/keys/" + keyId),
                other.get("/kms/v1/keys/" + keyId + "/public-key"),
                other.patch("/kms/v1/keys/" + keyId, Map.of("description", "x")),
                other.post("/kms/v1/keys/" + keyId + "/rotate"), other.post("/kms/v1/keys/" + keyId + "/disable"),
                other.post("/kms/v1/keys/" + keyId + "/enable"),
                other.post("/kms/v1/keys/" + keyId + "/schedule-deletion"),
                other.post("/kms/v1/keys/" + keyId + "/cancel-deletion"),
                other.post("/kms/v1/keys/" + keyId + "/encrypt", Map.of("plaintext", b64(new byte[]{7}))),
                other.post("/kms/v1/keys/" + keyId + "/sign", Map.of("message", b64(new byte[]{7}))),
                other.post("/kms/v1/keys/" + keyId + "/verify", Map.of("message", "AA==", "signature", "AA==")),
                other.post("/kms/v1/keys/" + keyId + "/encapsulate"),
                other.post("/kms/v1/keys/" + keyId + "/decapsulate", Map.of("encapsulation", "AA==")),
                other.post("/kms/v1/keys/" + keyId + "/generate-data-key"),
                other.get("/kms/v1/keys/not-a-uuid"))) {
            assertThat(response.getStatusCode().value()).isEqualTo(404);
            assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(404);
        }
        assertThat(ok(other.get("/kms/v1/keys")).get("total").asLong()).isZero();
        ResponseEntity<JsonNode> foreign = other.post("/kms/v1/decrypt", Map.of("ciphertext", ciphertext));
        assertThat(foreign.getStatusCode().value()).isEqualTo(400);
        assertThat(foreign.getBody().get("details").get("field").asString()).isEqualTo("ciphertext");
        // nothing changed for the owner
        JsonNode mine = ok(api.get("/kms/v1/keys/" + keyId));
        assertThat(mine.get("state").asString()).isEqualTo("enabled");
        assertThat(mine.get("currentVersion").asInt()).isEqualTo(1);
    }

    @Test
    void everyKeyEndpointNeedsAValidTokenAndItsScope() {
        String keyId = api.createKey("guarded", "AES-256-GCM");
        KmsApi anonymous = KmsApi.withToken(port, null);
        KmsApi expired = KmsApi.withToken(port, TestTokens.forTenant(tenant).scopes(KmsApi.ALL_SCOPES).expired().mint());
        KmsApi reader = KmsApi.of(port, tenant, "reader", KmsScopes.READ);
        KmsApi user = KmsApi.of(port, tenant, "user", KmsScopes.USE);

        for (KmsApi refused : List.of(anonymous, expired)) {
            List<ResponseEntity<JsonNode>> answers = new java.util.ArrayList<>(List.of(refused.get("/kms/v1/keys"),
                    refused.post("/kms/v1/keys", Map.of("name", "n", "algorithm", "AES-256-GCM")),
                    refused.get("/kms/v1/keys/" + keyId), refused.get("/kms/v1/keys/" + keyId + "/public-key"),
                    refused.patch("/kms/v1/keys/" + keyId, Map.of("description", "d")),
                    refused.post("/kms/v1/decrypt", Map.of("ciphertext", "AA=="))));
            for (String action : List.of("rotate", "disable", "enable", "schedule-deletion", "cancel-deletion",
                    "encrypt", "sign", "verify", "encapsulate", "decapsulate", "generate-data-key")) {
                answers.add(refused.post("/kms/v1/keys/" + keyId + "/" + action, Map.of()));
            }
            assertThat(answers).hasSize(17).allSatisfy(answer ->
                    assertThat(answer.getStatusCode().value()).as("%s", answer.getBody()).isEqualTo(401));
        }
        // reading needs kms:read, changing kms:write, using kms:use
        assertForbidden(user.get("/kms/v1/keys"), KmsScopes.READ);
        assertForbidden(user.get("/kms/v1/keys/" + keyId), KmsScopes.READ);
        assertForbidden(reader.post("/kms/v1/keys", Map.of("name", "n", "algorithm", "AES-256-GCM")), KmsScopes.WRITE);
        for (String change : List.of("rotate", "disable", "enable", "schedule-deletion", "cancel-deletion")) {
            assertForbidden(reader.post("/kms/v1/keys/" + keyId + "/" + change), KmsScopes.WRITE);
        }
        assertForbidden(reader.patch("/kms/v1/keys/" + keyId, Map.of("description", "d")), KmsScopes.WRITE);
        for (String use : List.of("encrypt", "sign", "verify", "encapsulate", "decapsulate", "generate-data-key")) {
            assertForbidden(reader.post("/kms/v1/keys/" + keyId + "/" + use, Map.of()), KmsScopes.USE);
        }
        assertForbidden(reader.post("/kms/v1/decrypt", Map.of("ciphertext", "AA==")), KmsScopes.USE);
        // a token without a tenant has no keys
        ResponseEntity<JsonNode> tenantless = KmsApi.withToken(port,
                TestTokens.withoutTenant().scopes(KmsApi.ALL_SCOPES).mint()).get("/kms/v1/keys");
        assertThat(tenantless.getStatusCode().value()).isEqualTo(403);
        assertThat(ok(api.get("/kms/v1/keys/" + keyId)).get("currentVersion").asInt()).isEqualTo(1);
    }

    @Test
    void theDescriptionChangesAndTheLocationNamesTheNewKey() {
        ResponseEntity<JsonNode> created = api.post("/kms/v1/keys", Map.of("name", " payroll ", "algorithm",
                "AES-256-GCM", "description", "old"));
        JsonNode key = ok(created, 201);
        assertThat(key.get("name").asString()).isEqualTo("payroll");
        assertThat(created.getHeaders().getLocation().getPath()).isEqualTo("/kms/v1/keys/" + key.get("keyId").asString());
        assertThat(key.get("versions").get(0).get("origin").asString()).isEqualTo("generated");
        JsonNode changed = ok(api.patch("/kms/v1/keys/" + key.get("keyId").asString(), Map.of("description", "new")));
        assertThat(changed.get("description").asString()).isEqualTo("new");
        assertFieldRefused(api.patch("/kms/v1/keys/" + key.get("keyId").asString(),
                Map.of("description", "d".repeat(1025))), "description");
    }
}
