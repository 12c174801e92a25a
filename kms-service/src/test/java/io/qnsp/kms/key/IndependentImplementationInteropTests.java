package io.qnsp.kms.key;

import io.qnsp.kms.KmsApi;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.generators.MLDSAKeyPairGenerator;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.MLDSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.bouncycastle.crypto.signers.MLDSASigner;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's ML-DSA-65 and ML-KEM-768 against BouncyCastle's lightweight implementation (its own code, not the
 * JDK provider the service uses): signatures made by one verify in the other, and an encapsulation made by one
 * decapsulates in the other to the same shared secret. Keys cross as standard encodings only (X.509
 * SubjectPublicKeyInfo, PKCS#8).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class IndependentImplementationInteropTests {

    private static final SecureRandom RANDOM = new SecureRandom();

    @LocalServerPort
    int port;

    KmsApi api;

    @BeforeEach
    void setUp() {
        api = KmsApi.of(port, "tenant-" + UUID.randomUUID(), "interop", KmsApi.ALL_SCOPES);
    }

    @Test
    void anMlDsaSignatureMadeByTheServiceVerifiesInBouncyCastle() throws Exception {
        String keyId = api.createKey("signer", "ML-DSA-65");
        byte[] message = "release 4.2.0 of the payments service".getBytes(StandardCharsets.UTF_8);

        byte[] signature = decode(ok(api.post("/kms/v1/keys/" + keyId + "/sign",
                Map.of("message", encode(message)))).get("signature"));
        MLDSAPublicKeyParameters publicKey = (MLDSAPublicKeyParameters) servicePublicKey(keyId);
        assertThat(publicKey.getParameters().getName()).isEqualTo(MLDSAParameters.ml_dsa_65.getName());

        assertThat(bouncyCastleVerifies(publicKey, message, signature)).isTrue();
        // the check can fail: another message, or one flipped bit of the signature, is refused
        assertThat(bouncyCastleVerifies(publicKey, "release 4.2.1 of the payments service"
                .getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        byte[] altered = signature.clone();
        altered[100] ^= 1;
        assertThat(bouncyCastleVerifies(publicKey, message, altered)).isFalse();
    }

    /** Each private key form of RFC 9881 inside PKCS#8: both (BouncyCastle's default), seed alone, expanded key. */
    @ParameterizedTest
    @ValueSource(ints = {MLDSAPrivateKeyParameters.BOTH, MLDSAPrivateKeyParameters.SEED_ONLY,
            MLDSAPrivateKeyParameters.EXPANDED_KEY})
    @SuppressWarnings("deprecation")
    void aBouncyCastleMlDsaSignatureVerifiesInTheServiceWithTheKeyImported(int privateKeyForm) throws Exception {
        MLDSAKeyPairGenerator generator = new MLDSAKeyPairGenerator();
        generator.init(new MLDSAKeyGenerationParameters(RANDOM, MLDSAParameters.ml_dsa_65));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        AsymmetricKeyParameter exported = ((MLDSAPrivateKeyParameters) pair.getPrivate())
                .getParametersWithFormat(privateKeyForm);
        String keyId = importKey("bc-signer", "ML-DSA-65", new AsymmetricCipherKeyPair(pair.getPublic(), exported));

        byte[] message = "a firmware image signed outside the service".getBytes(StandardCharsets.UTF_8);
        MLDSASigner signer = new MLDSASigner();
        signer.init(true, pair.getPrivate());
        signer.update(message, 0, message.length);
        byte[] signature = signer.generateSignature();

        JsonNode verified = ok(api.post("/kms/v1/keys/" + keyId + "/verify",
                Map.of("message", encode(message), "signature", encode(signature))));
        assertThat(verified.get("valid").asBoolean()).isTrue();
        assertThat(verified.get("keyVersion").asInt()).isEqualTo(1);

        JsonNode otherMessage = ok(api.post("/kms/v1/keys/" + keyId + "/verify",
                Map.of("message", encode("another image".getBytes(StandardCharsets.UTF_8)),
                        "signature", encode(signature))));
        assertThat(otherMessage.get("valid").asBoolean()).isFalse();

        // and the service signs with the imported private key in a way BouncyCastle accepts
        byte[] serviceSignature = decode(ok(api.post("/kms/v1/keys/" + keyId + "/sign",
                Map.of("message", encode(message)))).get("signature"));
        assertThat(bouncyCastleVerifies(pair.getPublic(), message, serviceSignature)).isTrue();
    }

    @Test
    void anEncapsulationMadeByBouncyCastleDecapsulatesInTheServiceToTheSameSecret() throws Exception {
        String keyId = api.createKey("kem", "ML-KEM-768");
        MLKEMPublicKeyParameters publicKey = (MLKEMPublicKeyParameters) servicePublicKey(keyId);
        assertThat(publicKey.getParameters().getName()).isEqualTo(MLKEMParameters.ml_kem_768.getName());

        SecretWithEncapsulation bouncyCastle = new MLKEMGenerator(RANDOM).generateEncapsulated(publicKey);
        JsonNode decapsulated = ok(api.post("/kms/v1/keys/" + keyId + "/decapsulate",
                Map.of("encapsulation", encode(bouncyCastle.getEncapsulation()))));

        assertThat(bouncyCastle.getSecret()).hasSize(32);
        assertThat(decode(decapsulated.get("sharedSecret"))).isEqualTo(bouncyCastle.getSecret());
    }

    @Test
    void anEncapsulationMadeByTheServiceDecapsulatesInBouncyCastleToTheSameSecret() throws Exception {
        MLKEMKeyPairGenerator generator = new MLKEMKeyPairGenerator();
        generator.init(new MLKEMKeyGenerationParameters(RANDOM, MLKEMParameters.ml_kem_768));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        // the seed-only PKCS#8 form of RFC 9935
        @SuppressWarnings("deprecation")
        AsymmetricKeyParameter seedOnly = ((MLKEMPrivateKeyParameters) pair.getPrivate())
                .getParametersWithFormat(MLKEMPrivateKeyParameters.SEED_ONLY);
        String keyId = importKey("bc-kem", "ML-KEM-768", new AsymmetricCipherKeyPair(pair.getPublic(), seedOnly));

        JsonNode encapsulated = ok(api.post("/kms/v1/keys/" + keyId + "/encapsulate"));
        byte[] serviceSecret = decode(encapsulated.get("sharedSecret"));
        byte[] bouncyCastleSecret = new MLKEMExtractor((MLKEMPrivateKeyParameters) pair.getPrivate())
                .extractSecret(decode(encapsulated.get("encapsulation")));

        assertThat(serviceSecret).hasSize(32);
        assertThat(bouncyCastleSecret).isEqualTo(serviceSecret);
    }

    private String importKey(String name, String algorithm, AsymmetricCipherKeyPair pair) throws Exception {
        byte[] pkcs8 = PrivateKeyInfoFactory.createPrivateKeyInfo(pair.getPrivate()).getEncoded();
        byte[] spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic()).getEncoded();
        ResponseEntity<JsonNode> created = api.post("/kms/v1/keys", Map.of("name", name, "algorithm", algorithm,
                "keyMaterial", encode(pkcs8), "publicKey", encode(spki)));
        assertThat(created.getStatusCode().value()).as("%s", created.getBody()).isEqualTo(201);
        return created.getBody().get("keyId").asString();
    }

    private AsymmetricKeyParameter servicePublicKey(String keyId) throws Exception {
        JsonNode view = ok(api.get("/kms/v1/keys/" + keyId + "/public-key"));
        return PublicKeyFactory.createKey(decode(view.get("publicKey")));
    }

    private static boolean bouncyCastleVerifies(AsymmetricKeyParameter publicKey, byte[] message, byte[] signature) {
        MLDSASigner verifier = new MLDSASigner();
        verifier.init(false, publicKey);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    private static JsonNode ok(ResponseEntity<JsonNode> response) {
        assertThat(response.getStatusCode().is2xxSuccessful()).as("%s %s", response.getStatusCode(),
                response.getBody()).isTrue();
        return response.getBody();
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] decode(JsonNode node) {
        return Base64.getDecoder().decode(node.asString());
    }
}
