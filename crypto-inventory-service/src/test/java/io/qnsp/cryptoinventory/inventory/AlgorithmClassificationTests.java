package io.qnsp.cryptoinventory.inventory;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AlgorithmClassificationTests {

    @Test
    void kmsServicesRiskTableDecidesForTheAlgorithmsItKnows() {
        // once forbidden, kms-service calls RSA-3072 critical; an ML-KEM key is low
        AlgorithmClassification classes = new AlgorithmClassification(Map.of("RSA-3072", "critical",
                "ML-KEM-768", "low", "AES-128", "medium"));
        assertThat(classes.risk("rsa-3072")).isEqualTo("critical");
        assertThat(classes.quantumResistant("ML-KEM-768")).isTrue();
        assertThat(classes.quantumResistant("AES-128")).isFalse();
        // others by family
        assertThat(classes.quantumResistant("RSA-2048")).isFalse();
        assertThat(classes.quantumResistant("EC-P384")).isFalse();
        assertThat(classes.quantumResistant("ML-DSA-87")).isTrue();
        assertThat(classes.quantumResistant("AES-256-GCM")).isTrue();
        assertThat(classes.quantumResistant("Ed25519")).isFalse();
        assertThat(classes.quantumResistant(null)).isFalse();
    }

    @Test
    void signingKeysAndCertificatesAreNamedAsKmsServiceNamesAlgorithms() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        byte[] modulus = new byte[384];
        modulus[0] = 1;
        String n = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(modulus);
        assertThat(PlatformSigningKeys.algorithm(json.readTree("{\"kty\":\"RSA\",\"n\":\"" + n + "\"}")))
                .isEqualTo("RSA-3065");
        assertThat(PlatformSigningKeys.algorithm(json.readTree("{\"kty\":\"EC\",\"crv\":\"P-256\"}")))
                .isEqualTo("EC-P256");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        assertThat(TlsCertificates.algorithm(ec.generateKeyPair().getPublic())).isEqualTo("EC-P384");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertThat(TlsCertificates.algorithm(rsa.generateKeyPair().getPublic())).isEqualTo("RSA-2048");
    }
}
