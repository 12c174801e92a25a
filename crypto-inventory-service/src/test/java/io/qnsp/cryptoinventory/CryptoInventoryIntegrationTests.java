package io.qnsp.cryptoinventory;

import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import tools.jackson.databind.JsonNode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.ResponseEntity;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service over real HTTP, on real PostgreSQL and Redis, reading kms-service and auth-service from
 * {@link TestKms}; every test class extending it shares one application context, and each test works in tenants of
 * its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
public abstract class CryptoInventoryIntegrationTests {

    protected static final TestKms KMS = TestKms.instance();

    static {
        KMS.signingKeyRsa("auth-signing-1", 2048);
    }

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void sources(DynamicPropertyRegistry registry) {
        registry.add("qnsp.crypto-inventory.kms-url", KMS::url);
        registry.add("qnsp.crypto-inventory.jwks-uri", KMS::jwksUri);
        registry.add("qnsp.crypto-inventory.tls-certificates", CryptoInventoryIntegrationTests::certificate);
    }

    static String certificate() {
        try {
            return Path.of(CryptoInventoryIntegrationTests.class.getResource("/tls/gateway-rsa2048.pem").toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A caller of the tenant reading and writing the inventory (crypto:read, crypto:write, kms:read). */
    protected ServiceApi owner(String tenant) {
        return ServiceApi.of(port, tenant, "owner", CryptoScopes.READ, CryptoScopes.WRITE, CryptoScopes.KMS_READ);
    }

    protected ServiceApi withToken(TestTokens.Builder token) {
        return ServiceApi.withToken(port, token.mint());
    }

    /** Asserts a 400 in the API family's error shape that names the field. */
    protected static void assertField(ResponseEntity<JsonNode> response, String field) {
        JsonNode error = expect(response, 400);
        assertThat(error.toString()).contains(field);
        assertThat(error.get("statusCode").asInt()).isEqualTo(400);
    }

    /** Registers a hardware device for the caller's tenant and returns its id. */
    protected static String register(ServiceApi api, String name, String type, List<String> capabilities) {
        JsonNode created = expect(api.post("/crypto/v1/hardware", body("name", name, "type", type, "vendor", "Acme",
                "model", "M1", "serialNumber", "SN-" + name, "location", "rack 4", "capabilities", capabilities,
                "firmwareVersion", "2.1.0")), 201);
        assertThat(created.get("name").asString()).isEqualTo(name);
        assertThat(created.get("createdAt").asString()).isNotBlank();
        return created.get("hardwareId").asString();
    }
}
