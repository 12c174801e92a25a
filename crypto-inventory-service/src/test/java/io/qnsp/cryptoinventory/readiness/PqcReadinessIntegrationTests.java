package io.qnsp.cryptoinventory.readiness;

import io.qnsp.cryptoinventory.CryptoInventoryIntegrationTests;
import io.qnsp.cryptoinventory.TestKms;
import io.qnsp.test.http.ServiceApi;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PQC readiness score and its recommendations, computed from the inventory: every figure below is worked out by
 * hand from the keys, signing key, certificate, devices and policies the test sets up (docs/crypto-inventory.md).
 */
class PqcReadinessIntegrationTests extends CryptoInventoryIntegrationTests {

    @Test
    void scoreMovesWhenKmsKeysMoveToMlKem() {
        String tenant = newTenant();
        TestKms.Key orders = KMS.addKey(tenant, "orders", "encrypt_decrypt", "RSA-3072");
        KMS.addKey(tenant, "signer", "sign_verify", "EC-P256");
        KMS.addKey(tenant, "aes", "encrypt_decrypt", "AES-256-GCM");
        ServiceApi api = owner(tenant);

        // kms: 1 of 3 keys quantum-resistant = 33.3; assets: 1 of 5 (3 keys, the RSA-2048 signing key, the RSA-2048
        // certificate) = 20.0; no hardware = 100; vulnerable algorithms RSA-3072, EC-P256, RSA-2048, none covered = 0
        JsonNode score = expect(api.get("/crypto/v1/pqc-readiness/score"), 200);
        assertCategories(score, 33.3, 20.0, 100.0, 0.0);
        // 0.4 × 33.3 + 0.3 × 20 + 0.15 × 100 + 0.15 × 0 = 34.32
        assertThat(score.get("overallScore").asDouble()).isEqualTo(34.3);
        assertThat(score.get("grade").asString()).isEqualTo("F");
        assertThat(score.get("calculatedAt").asString()).isNotBlank();

        KMS.rotate(tenant, orders.keyId(), "ML-KEM-768");
        JsonNode rotated = expect(api.get("/crypto/v1/pqc-readiness/score"), 200);
        // kms 2/3 = 66.7, assets 2/5 = 40, RSA-3072 no longer in use: 0 of 2 covered
        assertCategories(rotated, 66.7, 40.0, 100.0, 0.0);
        assertThat(rotated.get("overallScore").asDouble()).isEqualTo(53.7);

        KMS.addKey(tenant, "exchange", "key_encapsulation", "ML-KEM-768");
        JsonNode created = expect(api.get("/crypto/v1/pqc-readiness/score"), 200);
        // kms 3/4 = 75, assets 3/6 = 50: 30 + 15 + 15 + 0
        assertCategories(created, 75.0, 50.0, 100.0, 0.0);
        assertThat(created.get("overallScore").asDouble()).isEqualTo(60.0);
        assertThat(created.get("grade").asString()).isEqualTo("D");
    }

    @Test
    void recommendationsNameWhatToDoAndTheScorePointsItAdds() {
        String tenant = newTenant();
        KMS.addKey(tenant, "orders", "encrypt_decrypt", "RSA-3072");
        KMS.addKey(tenant, "signer", "sign_verify", "EC-P256");
        KMS.addKey(tenant, "aes", "encrypt_decrypt", "AES-256-GCM");
        ServiceApi api = owner(tenant);

        List<JsonNode> recommendations = list(api);
        assertThat(recommendations).extracting(r -> r.get("title").asString()).containsExactly(
                "Rotate 1 RSA-3072 encryption key to ML-KEM-768",
                "Rotate 1 EC-P256 signing key to ML-DSA-65",
                "Move token signing from RSA-2048 to a post-quantum signature",
                "Reissue 1 RSA-2048 TLS certificate with a post-quantum or hybrid key",
                "Create a deprecation policy for EC-P256",
                "Create a deprecation policy for RSA-2048",
                "Create a deprecation policy for RSA-3072");
        assertThat(recommendations).extracting(r -> r.get("priority").asString())
                .containsExactly("high", "medium", "medium", "medium", "medium", "medium", "medium");
        // a rotation makes the score 53.7 (see the score test): 53.7 - 34.3
        assertThat(recommendations.get(0).get("impact").asDouble()).isEqualTo(19.4);
        assertThat(recommendations.get(0).get("category").asString()).isEqualTo("keyManagement");
        assertThat(recommendations.get(0).get("effort").asString()).isEqualTo("low");
        assertThat(recommendations.get(0).get("description").asString()).contains("orders");
        assertThat(recommendations.get(1).get("impact").asDouble()).isEqualTo(19.4);
        // one more quantum-resistant asset: algorithms 40 -> overall 40.3
        assertThat(recommendations.get(2).get("impact").asDouble()).isEqualTo(6.0);
        assertThat(recommendations.get(2).get("effort").asString()).isEqualTo("high");
        assertThat(recommendations.get(3).get("impact").asDouble()).isEqualTo(6.0);
        // one of three vulnerable algorithms covered: policies 33.3 -> overall 39.3
        assertThat(recommendations.get(4).get("impact").asDouble()).isEqualTo(5.0);
        assertThat(recommendations.get(4).get("category").asString()).isEqualTo("policies");

        // a policy retiring RSA (every size) to ML-KEM-768 covers RSA-3072 and RSA-2048: policies 2/3 = 66.7
        expect(api.post("/crypto/v1/deprecation/policies", body("name", "retire RSA", "algorithms", List.of("RSA"),
                "deprecationDate", "2031-01-01", "enforcementDate", "2036-01-01",
                "migrationTarget", "ML-KEM-768")), 201);
        JsonNode score = expect(api.get("/crypto/v1/pqc-readiness/score"), 200);
        assertCategories(score, 33.3, 20.0, 100.0, 66.7);
        assertThat(score.get("overallScore").asDouble()).isEqualTo(44.3);
        assertThat(list(api)).extracting(r -> r.get("title").asString())
                .contains("Create a deprecation policy for EC-P256")
                .doesNotContain("Create a deprecation policy for RSA-2048", "Create a deprecation policy for RSA-3072");
        // a policy without a quantum-resistant target does not count
        expect(api.post("/crypto/v1/deprecation/policies", body("name", "P-256 to P-384", "algorithms",
                List.of("EC-P256"), "deprecationDate", "2031-01-01", "enforcementDate", "2036-01-01",
                "migrationTarget", "EC-P384")), 201);
        assertThat(expect(api.get("/crypto/v1/pqc-readiness/score"), 200).get("categories").get("policies")
                .asDouble()).isEqualTo(66.7);
    }

    @Test
    void hardwareCountsDevicesImplementingPostQuantumAlgorithmsThatHaveNotFailed() {
        String tenant = newTenant();
        KMS.addKey(tenant, "exchange", "key_encapsulation", "ML-KEM-768");
        ServiceApi api = owner(tenant);
        String pqc = register(api, "pqc-hsm", "hsm", List.of("ML-KEM-768", "ML-DSA-65"));
        register(api, "old-tpm", "tpm", List.of("RSA-2048"));
        String broken = register(api, "broken-hsm", "hsm", List.of("ML-DSA-65"));
        expect(api.post("/crypto/v1/hardware/" + pqc + "/health", body("status", "healthy")), 201);
        expect(api.post("/crypto/v1/hardware/" + broken + "/health", body("status", "failed",
                "metrics", Map.of("errorRate", 1))), 201);

        JsonNode score = expect(api.get("/crypto/v1/pqc-readiness/score"), 200);
        // kms 1/1; assets: the key, the signing key, the certificate: 1 of 3 = 33.3; hardware 1 of 3 = 33.3;
        // vulnerable RSA-2048 uncovered = 0
        assertCategories(score, 100.0, 33.3, 33.3, 0.0);
        // 40 + 9.99 + 4.995 + 0 = 54.985
        assertThat(score.get("overallScore").asDouble()).isEqualTo(55.0);

        List<JsonNode> recommendations = list(api);
        JsonNode repair = recommendations.stream().filter(r -> r.get("title").asString()
                .equals("Repair or replace 1 failed device")).findFirst().orElseThrow();
        assertThat(repair.get("priority").asString()).isEqualTo("high");
        // hardware 2/3 = 66.7: 40 + 9.99 + 10.005 = 59.995 -> 60.0
        assertThat(repair.get("impact").asDouble()).isEqualTo(5.0);
        JsonNode upgrade = recommendations.stream().filter(r -> r.get("title").asString()
                .equals("Upgrade 1 device to post-quantum algorithms")).findFirst().orElseThrow();
        assertThat(upgrade.get("priority").asString()).isEqualTo("low");
        assertThat(upgrade.get("description").asString()).contains("old-tpm");
        assertThat(recommendations.getFirst().get("priority").asString()).isEqualTo("high");
        assertThat(recommendations.getLast().get("priority").asString()).isEqualTo("low");
    }

    @Test
    void aTenantWithoutKeysIsScoredOnThePlatformsOwnAssets() {
        ServiceApi api = owner(newTenant());
        JsonNode score = expect(api.get("/crypto/v1/pqc-readiness/score"), 200);
        // kms-service counts no keys as 100; the signing key and certificate are RSA-2048: 0 of 2, 0 of 1 covered
        assertCategories(score, 100.0, 0.0, 100.0, 0.0);
        assertThat(score.get("overallScore").asDouble()).isEqualTo(55.0);
    }

    private static List<JsonNode> list(ServiceApi api) {
        List<JsonNode> list = new ArrayList<>();
        expect(api.get("/crypto/v1/pqc-readiness/recommendations"), 200).get("recommendations").forEach(list::add);
        return list;
    }

    private static void assertCategories(JsonNode score, double keyManagement, double algorithms, double hardware,
                                         double policies) {
        JsonNode c = score.get("categories");
        assertThat(c.get("keyManagement").asDouble()).isEqualTo(keyManagement);
        assertThat(c.get("algorithms").asDouble()).isEqualTo(algorithms);
        assertThat(c.get("hardware").asDouble()).isEqualTo(hardware);
        assertThat(c.get("policies").asDouble()).isEqualTo(policies);
    }
}
