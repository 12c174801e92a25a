package io.qnsp.cryptoinventory.deprecation;

import io.qnsp.cryptoinventory.CryptoInventoryIntegrationTests;
import io.qnsp.cryptoinventory.CryptoScopes;
import io.qnsp.cryptoinventory.TestKms;
import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Deprecation policies over the tenant's inventory: the assets they cover, their migration status, the summary. */
class DeprecationIntegrationTests extends CryptoInventoryIntegrationTests {

    @Test
    void policyCoversTheTenantsKeysSigningKeysAndCertificatesByAlgorithmAndFamily() {
        String tenant = newTenant();
        TestKms.Key rsa = KMS.addKey(tenant, "orders", "encrypt_decrypt", "RSA-3072");
        TestKms.Key rotated = KMS.addKey(tenant, "payments", "encrypt_decrypt", "RSA-3072", "ML-KEM-768");
        TestKms.Key retiring = KMS.addKeyInState(tenant, "legacy", "encrypt_decrypt", "pending_deletion", "RSA-3072");
        TestKms.Key ec = KMS.addKey(tenant, "signer", "sign_verify", "EC-P256");
        KMS.addKey(tenant, "aes", "encrypt_decrypt", "AES-256-GCM");
        ServiceApi api = owner(tenant);

        JsonNode created = expect(api.post("/crypto/v1/deprecation/policies", body("name", "retire RSA",
                "algorithms", List.of("RSA"), "deprecationDate", "2031-01-01", "enforcementDate",
                "2036-01-01T00:00:00Z", "migrationTarget", "ML-KEM-768", "notificationSchedule",
                List.of("P90D", "2030-10-01"))), 201);
        String policyId = created.get("policyId").asString();
        assertThat(created.get("name").asString()).isEqualTo("retire RSA");
        assertThat(created.get("createdAt").asString()).isNotBlank();

        JsonNode assets = expect(api.get("/crypto/v1/deprecation/affected-assets"), 200).get("assets");
        Map<String, JsonNode> byId = new java.util.HashMap<>();
        assets.forEach(a -> byId.put(a.get("assetId").asString(), a));
        // three RSA kms keys, the platform's RSA-2048 signing key, the RSA-2048 TLS certificate; not EC, not AES
        assertThat(byId).hasSize(5).doesNotContainKey(ec.keyId());
        assertThat(byId.get(rsa.keyId()).get("migrationStatus").asString()).isEqualTo("pending");
        assertThat(byId.get(rsa.keyId()).get("algorithm").asString()).isEqualTo("RSA-3072");
        assertThat(byId.get(rsa.keyId()).get("assetType").asString()).isEqualTo("kms_key");
        assertThat(byId.get(rsa.keyId()).get("policyId").asString()).isEqualTo(policyId);
        assertThat(byId.get(rsa.keyId()).get("deprecationDate").asString()).isEqualTo("2031-01-01T00:00:00Z");
        assertThat(byId.get(rotated.keyId()).get("migrationStatus").asString()).isEqualTo("completed");
        assertThat(byId.get(retiring.keyId()).get("migrationStatus").asString()).isEqualTo("in_progress");
        assertThat(byId.get("jwk:auth-signing-1").get("algorithm").asString()).isEqualTo("RSA-2048");
        assertThat(byId.get("jwk:auth-signing-1").get("assetType").asString()).isEqualTo("signing_key");
        List<String> certificates = new ArrayList<>();
        assets.forEach(a -> {
            if (a.get("assetType").asString().equals("tls_certificate")) {
                certificates.add(a.get("algorithm").asString());
            }
        });
        assertThat(certificates).containsExactly("RSA-2048");

        // another policy naming EC-P256 exactly, with an earlier deadline
        String ecPolicy = expect(api.post("/crypto/v1/deprecation/policies", body("name", "retire P-256",
                "algorithms", List.of("EC-P256", "RSA-3072"), "deprecationDate", "2030-06-01",
                "enforcementDate", "2032-01-01", "migrationTarget", "ML-DSA-65")), 201).get("policyId").asString();

        JsonNode summary = expect(api.get("/crypto/v1/deprecation/summary"), 200);
        // outstanding, each once: orders, legacy, signer, the signing key, the certificate (payments is migrated)
        assertThat(summary.get("totalAffectedAssets").asLong()).isEqualTo(5);
        assertThat(summary.get("byAlgorithm").get("RSA-3072").asLong()).isEqualTo(2);
        assertThat(summary.get("byAlgorithm").get("RSA-2048").asLong()).isEqualTo(2);
        assertThat(summary.get("byAlgorithm").get("EC-P256").asLong()).isEqualTo(1);
        assertThat(summary.get("byAlgorithm").has("ML-KEM-768")).isFalse();
        JsonNode deadlines = summary.get("upcomingDeadlines");
        assertThat(deadlines).hasSize(3);
        assertThat(deadlines.get(0).get("policyId").asString()).isEqualTo(ecPolicy);
        assertThat(deadlines.get(0).get("algorithm").asString()).isEqualTo("EC-P256");
        assertThat(deadlines.get(0).get("deadline").asString()).isEqualTo("2030-06-01T00:00:00Z");
        assertThat(deadlines.get(0).get("affectedAssets").asLong()).isEqualTo(1);
        assertThat(deadlines.get(1).get("algorithm").asString()).isEqualTo("RSA-3072");
        assertThat(deadlines.get(1).get("affectedAssets").asLong()).isEqualTo(2);
        assertThat(deadlines.get(2).get("policyId").asString()).isEqualTo(policyId);
        assertThat(deadlines.get(2).get("algorithm").asString()).isEqualTo("RSA");
        assertThat(deadlines.get(2).get("deadline").asString()).isEqualTo("2031-01-01T00:00:00Z");
        assertThat(deadlines.get(2).get("affectedAssets").asLong()).isEqualTo(4);

        // a rotation at kms-service shows on the next request
        KMS.rotate(tenant, rsa.keyId(), "ML-KEM-768");
        JsonNode after = expect(api.get("/crypto/v1/deprecation/summary"), 200);
        assertThat(after.get("totalAffectedAssets").asLong()).isEqualTo(4);
        assertThat(after.get("byAlgorithm").get("RSA-3072").asLong()).isEqualTo(1);
    }

    @Test
    void theCallersOwnTokenIsRelayedSoAnotherTenantsKeysAndPoliciesNeverCount() {
        String tenant = newTenant();
        String other = newTenant();
        KMS.addKey(other, "theirs", "encrypt_decrypt", "RSA-3072");
        expect(owner(other).post("/crypto/v1/deprecation/policies", body("name", "theirs", "algorithms",
                List.of("RSA-3072"), "deprecationDate", "2031-01-01", "enforcementDate", "2036-01-01")), 201);
        KMS.addKey(tenant, "mine", "encrypt_decrypt", "AES-256-GCM");

        JsonNode assets = expect(owner(tenant).get("/crypto/v1/deprecation/affected-assets"), 200).get("assets");
        assertThat(assets).isEmpty();
        JsonNode summary = expect(owner(tenant).get("/crypto/v1/deprecation/summary"), 200);
        assertThat(summary.get("totalAffectedAssets").asLong()).isZero();
        assertThat(summary.get("upcomingDeadlines")).isEmpty();
        // the same name is free in another tenant
        expect(owner(tenant).post("/crypto/v1/deprecation/policies", body("name", "theirs", "algorithms",
                List.of("RSA-3072"), "deprecationDate", "2031-01-01", "enforcementDate", "2036-01-01")), 201);
    }

    @Test
    void badPoliciesAreRefusedNamingTheField() {
        ServiceApi api = owner(newTenant());
        assertField(api.post("/crypto/v1/deprecation/policies", body("algorithms", List.of("RSA"),
                "deprecationDate", "2031-01-01", "enforcementDate", "2036-01-01")), "name");
        assertField(api.post("/crypto/v1/deprecation/policies", body("name", "p", "algorithms", List.of(),
                "deprecationDate", "2031-01-01", "enforcementDate", "2036-01-01")), "algorithms");
        assertField(api.post("/crypto/v1/deprecation/policies", body("name", "p", "algorithms", List.of("RSA"),
                "deprecationDate", "next year", "enforcementDate", "2036-01-01")), "deprecationDate");
        assertField(api.post("/crypto/v1/deprecation/policies", body("name", "p", "algorithms", List.of("RSA"),
                "deprecationDate", "2031-01-01")), "enforcementDate");
        assertField(api.post("/crypto/v1/deprecation/policies", body("name", "p", "algorithms", List.of("RSA"),
                "deprecationDate", "2031-01-01", "enforcementDate", "2030-01-01")), "enforcementDate");
        assertField(api.post("/crypto/v1/deprecation/policies", body("name", "p", "algorithms", List.of("RSA"),
                "deprecationDate", "2031-01-01", "enforcementDate", "2036-01-01", "migrationTarget", "rsa")),
                "migrationTarget");
        assertField(api.post("/crypto/v1/deprecation/policies", body("name", "p", "algorithms", List.of("RSA"),
                "deprecationDate", "2031-01-01", "enforcementDate", "2036-01-01", "notificationSchedule",
                List.of("soon"))), "notificationSchedule");
        assertField(api.postJson("/crypto/v1/deprecation/policies", "{\"name\":\"p\",\"algorithms\":{\"a\":1}}"),
                "algorithms");
        expect(api.postJson("/crypto/v1/deprecation/policies", "{\"name\":"), 400);

        expect(api.post("/crypto/v1/deprecation/policies", body("name", "once", "algorithms", List.of("RSA"),
                "deprecationDate", "2031-01-01", "enforcementDate", "2036-01-01")), 201);
        JsonNode taken = expect(api.post("/crypto/v1/deprecation/policies", body("name", "once", "algorithms",
                List.of("EC"), "deprecationDate", "2031-01-01", "enforcementDate", "2036-01-01")), 409);
        assertThat(taken.get("details").get("field").asString()).isEqualTo("name");
    }

    @Test
    void scopesAreEnforced() {
        String tenant = newTenant();
        ServiceApi readOnly = withToken(TestTokens.forTenant(tenant).scopes(CryptoScopes.READ, CryptoScopes.KMS_READ));
        expect(readOnly.post("/crypto/v1/deprecation/policies", body("name", "p", "algorithms", List.of("RSA"),
                "deprecationDate", "2031-01-01", "enforcementDate", "2036-01-01")), 403);
        ServiceApi withoutKms = withToken(TestTokens.forTenant(tenant).scopes(CryptoScopes.READ));
        expect(withoutKms.get("/crypto/v1/deprecation/affected-assets"), 403);
        expect(ServiceApi.withToken(port, null).get("/crypto/v1/deprecation/summary"), 401);
        expect(readOnly.get("/crypto/v1/deprecation/summary"), 200);
    }
}
