package io.qnsp.kms.key;

import io.qnsp.kms.KmsApi;
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
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
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
    private static final int SLICE = 16;

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
        putSecretParts(secrets, "imported RSA key", KeyAlgorithm.RSA_3072, rsa.getPrivate().getEncoded());
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
                putSecretParts(secrets, "generated " + version.algorithm().apiName() + " v" + version.version(),
                        version.algorithm(), wrapping.unwrap(version.keyId(), version.version(),
                                version.wrappedMaterial()));
            }
        }
        // AES imported, refused, data key, plaintext, generated x 2: one each; RSA 3, EC 1, ML-KEM 2, ML-DSA 2
        assertThat(secrets).hasSize(4 + 2 + 3 + 2 * (3 + 1 + 2 + 2));

        List<String> rows = everyRowOfTheSchema();
        assertThat(rows).as("the schema holds the keys, versions and operations of this test").hasSizeGreaterThan(20);
        for (Map.Entry<String, byte[]> secret : secrets.entrySet()) {
            for (byte[] slice : slices(secret.getValue())) {
                for (String form : forms(slice)) {
                    for (String row : rows) {
                        assertThat(row).as("a table row holds part of the %s", secret.getKey()).doesNotContain(form);
                    }
                    assertThat(output.getAll()).as("the log holds part of the %s", secret.getKey())
                            .doesNotContain(form);
                    for (String body : errorBodies) {
                        assertThat(body).as("an error body holds part of the %s", secret.getKey())
                                .doesNotContain(form);
                    }
                }
            }
        }
        // the search can find: the log names the keys it created, and the tables hold the public keys
        assertThat(output.getAll()).contains(importedAes);
        String publicKeyHex = HexFormat.of().formatHex(Arrays.copyOfRange(rsa.getPublic().getEncoded(), 40, 56));
        assertThat(rows).anySatisfy(row -> assertThat(row).contains(publicKeyHex));
    }

    /**
     * The secret parts of a key's material: a private key's encoding also holds public values (an RSA modulus, the
     * ML-KEM encapsulation key, ML-DSA's rho) that are rightly stored with the public key.
     */
    private static void putSecretParts(Map<String, byte[]> secrets, String name, KeyAlgorithm algorithm,
                                       byte[] material) throws Exception {
        switch (algorithm) {
            case AES_256_GCM -> secrets.put(name, material);
            case RSA_3072 -> {
                RSAPrivateCrtKey key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                        .generatePrivate(new PKCS8EncodedKeySpec(material));
                secrets.put(name + " private exponent", key.getPrivateExponent().toByteArray());
                secrets.put(name + " prime p", key.getPrimeP().toByteArray());
                secrets.put(name + " prime q", key.getPrimeQ().toByteArray());
            }
            case EC_P256 -> secrets.put(name + " private scalar", ((ECPrivateKey) KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(material))).getS().toByteArray());
            case ML_KEM_768 -> {
                // FIPS 203 decapsulation key: dk_PKE (1152) || ek (1184) || H(ek) (32) || z (32), at the encoding's end
                byte[] expanded = Arrays.copyOfRange(material, material.length - 2400, material.length);
                secrets.put(name + " dk_PKE", Arrays.copyOfRange(expanded, 0, 1152));
                secrets.put(name + " z", Arrays.copyOfRange(expanded, 2368, 2400));
            }
            case ML_DSA_65 -> {
                // FIPS 204 private key: rho (32) || K (32) || tr (64) || s1 || s2 || t0, at the encoding's end
                byte[] expanded = Arrays.copyOfRange(material, material.length - 4032, material.length);
                secrets.put(name + " K", Arrays.copyOfRange(expanded, 32, 64));
                secrets.put(name + " s1 s2 t0", Arrays.copyOfRange(expanded, 128, 4032));
            }
        }
    }

    /** Every row of every table in the service's schema, each value as text (bytes in hex). */
    private List<String> everyRowOfTheSchema() {
        List<String> tables = jdbc.queryForList("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", String.class);
        assertThat(tables).contains("kms_key", "kms_key_version", "key_operation");
        List<String> rows = new ArrayList<>();
        for (String table : tables) {
            jdbc.query("SELECT * FROM \"" + table + "\"", resultSet -> {
                StringBuilder row = new StringBuilder(table).append(':');
                for (int column = 1; column <= resultSet.getMetaData().getColumnCount(); column++) {
                    Object value = resultSet.getObject(column);
                    row.append(' ').append(value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value);
                }
                rows.add(row.toString());
            });
        }
        return rows;
    }

    /** The secret in slices of 16 bytes, so that a leak of any part of it is found. */
    private static List<byte[]> slices(byte[] secret) {
        List<byte[]> slices = new ArrayList<>();
        for (int start = 0; start + SLICE <= secret.length; start += SLICE) {
            slices.add(Arrays.copyOfRange(secret, start, start + SLICE));
        }
        return slices;
    }

    /** How a slice can show up in text: hex either case, and base64 at each of the three alignments. */
    private static List<String> forms(byte[] slice) {
        List<String> forms = new ArrayList<>(List.of(HexFormat.of().formatHex(slice),
                HexFormat.of().withUpperCase().formatHex(slice)));
        for (int skip = 0; skip < 3; skip++) {
            // characters that depend only on the slice's bytes, whatever precedes it in the encoded value
            byte[] aligned = new byte[skip + slice.length];
            System.arraycopy(slice, 0, aligned, skip, slice.length);
            String encoded = Base64.getEncoder().withoutPadding().encodeToString(aligned);
            int firstClean = (skip * 8 + 5) / 6 + 1;
            forms.add(encoded.substring(firstClean, encoded.length() - 2));
        }
        return forms;
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
