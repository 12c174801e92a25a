package io.qnsp.kms.key;

import io.qnsp.kms.KmsApi;
import io.qnsp.kms.KeyMaterialParts;
import io.qnsp.test.secrets.SecretSearch;
import io.qnsp.test.infra.EmbeddedInfrastructure;
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
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key material, data keys and plaintexts must not be readable anywhere but in the response that hands them out:
 * not in any table of the service's schema (every column of every row is searched), not in the log (captured at
 * DEBUG for the service and Spring's web layer) and not in error bodies provoked with the material in the request.
 * Each secret is searched for in slices of 16 bytes, raw, in hex and in base64, so a partial leak is found too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.io.qnsp=DEBUG", "logging.level.org.springframework.web=DEBUG",
                // the test's own HTTP client logs what it sends: that is not the service's log
                "logging.level.org.springframework.web.client=INFO"})
@ActiveProfiles("test")
@EmbeddedInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class KeyMaterialExposureTests {

    private static final SecureRandom RANDOM = new SecureRandom();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Keys keys;

    @Autowired
    KeyWrapping wrapping;

    @Test
    void noKeyMaterialDataKeyOrPlaintextIsStoredLoggedOrEchoedInAnError(CapturedOutput output) throws Exception {
        String tenant = "tenant-" + UUID.randomUUID();
        KmsApi api = KmsApi.of(port, tenant, "exposure", KmsApi.ALL_SCOPES);
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        List<String> errorBodies = new ArrayList<>();

        // imported material, known to the test from the start
        byte[] aes = random(32);
        secrets.put("imported AES key", aes);
        String importedAes = created(api.post("/kms/v1/keys", Map.of("name", "imported-aes",
                "algorithm", "AES-256-GCM", "keyMaterial", encode(aes))));
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(3072);
        KeyPair rsa = rsaGenerator.generateKeyPair();
        KeyMaterialParts.secretParts(KeyAlgorithm.RSA_3072, rsa.getPrivate().getEncoded())
                .forEach((part, bytes) -> secrets.put("imported RSA key " + part, bytes));
        created(api.post("/kms/v1/keys", Map.of("name", "imported-rsa", "algorithm", "RSA-3072",
                "keyMaterial", encode(rsa.getPrivate().getEncoded()),
                "publicKey", encode(rsa.getPublic().getEncoded()))));

        // refused imports carry material in the request: the error must not give it back
        byte[] shortAes = random(31);
        secrets.put("refused AES key", shortAes);
        errorBodies.add(refused(api.post("/kms/v1/keys", Map.of("name", "short-aes", "algorithm", "AES-256-GCM",
                "keyMaterial", encode(shortAes)))));
        KeyPair otherRsa = rsaGenerator.generateKeyPair();
        errorBodies.add(refused(api.post("/kms/v1/keys", Map.of("name", "mismatched-rsa", "algorithm", "RSA-3072",
                "keyMaterial", encode(rsa.getPrivate().getEncoded()),
                "publicKey", encode(otherRsa.getPublic().getEncoded())))));

        // generated keys of every algorithm, rotated once so that two versions exist
        List<String> generated = new ArrayList<>();
        for (String algorithm : List.of("AES-256-GCM", "RSA-3072", "EC-P256", "ML-KEM-768", "ML-DSA-65")) {
            String keyId = api.createKey("generated-" + algorithm, algorithm);
            assertThat(api.post("/kms/v1/keys/" + keyId + "/rotate").getStatusCode().value()).isEqualTo(200);
            generated.add(keyId);
        }

        // a data key and a plaintext, handed out once
        Map<String, String> context = Map.of("purpose", "exposure-test");
        JsonNode dataKey = api.post("/kms/v1/keys/" + importedAes + "/generate-data-key",
                Map.of("encryptionContext", context)).getBody();
        secrets.put("data key", Base64.getDecoder().decode(dataKey.get("plaintext").asString()));
        byte[] plaintext = ("patient record " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        secrets.put("plaintext", plaintext);
        String ciphertext = api.post("/kms/v1/keys/" + importedAes + "/encrypt",
                Map.of("plaintext", encode(plaintext), "encryptionContext", context)).getBody()
                .get("ciphertext").asString();
        // a wrong context is refused without the plaintext
        errorBodies.add(refused(api.post("/kms/v1/decrypt",
                Map.of("ciphertext", ciphertext, "encryptionContext", Map.of("purpose", "other")))));
        assertThat(api.post("/kms/v1/decrypt", Map.of("ciphertext", ciphertext, "encryptionContext", context))
                .getBody().get("plaintext").asString()).isEqualTo(encode(plaintext));

        // the material the service generated, opened with its own master key
        for (String keyId : generated) {
            for (KeyVersion version : keys.versions(UUID.fromString(keyId))) {
                String name = "generated " + version.algorithm().apiName() + " v" + version.version();
                KeyMaterialParts.secretParts(version.algorithm(), wrapping.unwrap(version.keyId(), version.version(),
                        version.wrappedMaterial())).forEach((part, bytes) -> secrets.put(name + " " + part, bytes));
            }
        }
        // AES imported, refused, data key, plaintext, generated x 2: one each; RSA 3, EC 1, ML-KEM 2, ML-DSA 2
        assertThat(secrets).hasSize(4 + 2 + 3 + 2 * (3 + 1 + 2 + 2));

        List<String> rows = SecretSearch.everyRowOfTheSchema(jdbc, "kms_key", "kms_key_version", "key_operation");
        assertThat(rows).as("the schema holds the keys, versions and operations of this test").hasSizeGreaterThan(20);
        secrets.forEach((name, secret) -> SecretSearch.assertFoundNowhere(name, SecretSearch.formsOfSlices(secret),
                rows, output.getAll(), errorBodies));
        // the search can find: the log names the keys it created, and the tables hold the public keys
        assertThat(output.getAll()).contains(importedAes);
        String publicKeyHex = HexFormat.of().formatHex(Arrays.copyOfRange(rsa.getPublic().getEncoded(), 40, 56));
        assertThat(rows).anySatisfy(row -> assertThat(row).contains(publicKeyHex));
    }

    private static String created(ResponseEntity<JsonNode> response) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(201);
        return response.getBody().get("keyId").asString();
    }

    private static String refused(ResponseEntity<JsonNode> response) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(400);
        return response.getBody().toString();
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
