package io.qnsp.cryptoinventory.hardware;

import io.qnsp.cryptoinventory.CryptoInventoryIntegrationTests;
import io.qnsp.cryptoinventory.CryptoScopes;
import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Registered crypto hardware, its health checks, and the summary by type and latest status. */
class HardwareIntegrationTests extends CryptoInventoryIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void summaryCountsDevicesByTypeAndByTheirLatestHealthCheck() {
        String tenant = newTenant();
        ServiceApi api = owner(tenant);
        String hsm = register(api, "hsm-1", "hsm", List.of("ML-KEM-768", "RSA-3072"));
        String tpm = register(api, "tpm-1", "tpm", List.of("RSA-2048"));
        register(api, "card-1", "smartcard", List.of());

        JsonNode recorded = expect(api.post("/crypto/v1/hardware/" + hsm + "/health", body("status", "healthy",
                "metrics", Map.of("temperature", 41.5, "operationsPerSecond", 1200, "errorRate", 0.001))), 201);
        assertThat(recorded.get("healthCheckId").asString()).isNotBlank();
        assertThat(recorded.get("recordedAt").asString()).isNotBlank();
        expect(api.post("/crypto/v1/hardware/" + tpm + "/health", body("status", "healthy")), 201);
        // the latest check counts
        expect(api.post("/crypto/v1/hardware/" + tpm + "/health", body("status", "failed",
                "metrics", Map.of("errorRate", 1))), 201);

        JsonNode summary = expect(api.get("/crypto/v1/hardware/summary"), 200);
        assertThat(summary.get("totalDevices").asLong()).isEqualTo(3);
        assertThat(summary.get("byType").get("hsm").asLong()).isEqualTo(1);
        assertThat(summary.get("byType").get("tpm").asLong()).isEqualTo(1);
        assertThat(summary.get("byType").get("smartcard").asLong()).isEqualTo(1);
        assertThat(summary.get("byType").get("accelerator").asLong()).isZero();
        assertThat(summary.get("byStatus").get("healthy").asLong()).isEqualTo(1);
        assertThat(summary.get("byStatus").get("degraded").asLong()).isZero();
        assertThat(summary.get("byStatus").get("failed").asLong()).isEqualTo(1);
        assertThat(summary.get("byStatus").get("unchecked").asLong()).isEqualTo(1);

        Double stored = jdbc.queryForObject("SELECT temperature FROM crypto_inventory.hardware_health_check "
                + "WHERE hardware_id = ?::uuid", Double.class, hsm);
        assertThat(stored).isEqualTo(41.5);

        // another tenant sees none of it, and cannot record health for it
        String other = newTenant();
        JsonNode theirs = expect(owner(other).get("/crypto/v1/hardware/summary"), 200);
        assertThat(theirs.get("totalDevices").asLong()).isZero();
        JsonNode notFound = expect(owner(other).post("/crypto/v1/hardware/" + hsm + "/health",
                body("status", "healthy")), 404);
        assertThat(notFound.get("statusCode").asInt()).isEqualTo(404);
        expect(api.post("/crypto/v1/hardware/" + UUID.randomUUID() + "/health", body("status", "healthy")), 404);
        expect(api.post("/crypto/v1/hardware/not-an-id/health", body("status", "healthy")), 404);
    }

    @Test
    void byohsmConnectionsAtKmsCountAsHsmsForATenantWithTheAddOn() {
        String tenant = newTenant();
        KMS.addConnection(tenant, "softhsm-a", "active");
        KMS.addConnection(tenant, "softhsm-b", "error");
        KMS.addConnection(tenant, "softhsm-c", "pending_validation");
        ServiceApi withAddOn = withToken(TestTokens.forTenant(tenant).addOns("byohsm")
                .scopes(CryptoScopes.READ, CryptoScopes.KMS_READ));
        JsonNode summary = expect(withAddOn.get("/crypto/v1/hardware/summary"), 200);
        assertThat(summary.get("totalDevices").asLong()).isEqualTo(3);
        assertThat(summary.get("byType").get("hsm").asLong()).isEqualTo(3);
        assertThat(summary.get("byStatus").get("healthy").asLong()).isEqualTo(1);
        assertThat(summary.get("byStatus").get("failed").asLong()).isEqualTo(1);
        assertThat(summary.get("byStatus").get("unchecked").asLong()).isEqualTo(1);

        JsonNode withoutAddOn = expect(owner(tenant).get("/crypto/v1/hardware/summary"), 200);
        assertThat(withoutAddOn.get("totalDevices").asLong()).isZero();
    }

    @Test
    void badDevicesAndHealthChecksAreRefusedNamingTheField() {
        ServiceApi api = owner(newTenant());
        assertField(api.post("/crypto/v1/hardware", body("type", "hsm")), "name");
        assertField(api.post("/crypto/v1/hardware", body("name", "x", "type", "toaster")), "type");
        assertField(api.post("/crypto/v1/hardware", body("name", "x", "type", "hsm", "capabilities",
                List.of(""))), "capabilities");
        assertField(api.post("/crypto/v1/hardware", body("name", "x".repeat(129), "type", "hsm")), "name");
        String device = register(api, "hsm", "hsm", List.of());
        assertField(api.post("/crypto/v1/hardware/" + device + "/health", body()), "status");
        assertField(api.post("/crypto/v1/hardware/" + device + "/health", body("status", "fine")), "status");
        assertField(api.post("/crypto/v1/hardware/" + device + "/health", body("status", "healthy", "metrics",
                Map.of("errorRate", 2))), "metrics.errorRate");
        assertField(api.post("/crypto/v1/hardware/" + device + "/health", body("status", "healthy", "metrics",
                Map.of("operationsPerSecond", -1))), "metrics.operationsPerSecond");
        assertField(api.postJson("/crypto/v1/hardware/" + device + "/health",
                "{\"status\":\"healthy\",\"metrics\":{\"temperature\":\"hot\"}}"), "temperature");

        ServiceApi readOnly = withToken(TestTokens.forTenant(newTenant()).scopes(CryptoScopes.READ));
        expect(readOnly.post("/crypto/v1/hardware", body("name", "x", "type", "hsm")), 403);
    }
}
