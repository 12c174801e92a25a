package io.qnsp.kms.byohsm;

import io.qnsp.kms.KmsApi;
import io.qnsp.kms.KmsScopes;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertForbidden;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.kms.KmsAssertions.b64;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * BYOHSM over real HTTP against a real PKCS#11 token (SoftHSM2): connections validated by logging in, keys generated
 * in the token that wrap, unwrap, sign and verify there, the operations log and health metrics, and the controls of
 * every path (401, 403 without scope or add-on, 404 across tenants, 400 naming the field).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class ByohsmIntegrationTests {

    private static final SecureRandom RANDOM = new SecureRandom();

    @LocalServerPort
    int port;

    String tenant;
    KmsApi api;

    @BeforeAll
    static void tokens() {
        SoftHsmInstallation.requireOrSkip();
    }

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = byohsm(tenant, KmsApi.ALL_SCOPES);
    }

    private KmsApi byohsm(String tenant, String... scopes) {
        return KmsApi.withToken(port, TestTokens.forTenant(tenant).subject("hsm-admin").scopes(scopes)
                .addOns("byohsm").mint());
    }

    private static Map<String, Object> connection(String name, SoftHsmTokens.Token token, String pin) {
        Map<String, Object> config = new HashMap<>();
        config.put("library", SoftHsmTokens.LIBRARY);
        config.put("slot", token.slot());
        config.put("pin", pin);
        config.put("endpoint", "hsm.example.internal");
        config.put("port", 1792);
        return Map.of("name", name, "provider", "thales", "connectionConfig", config,
                "metadata", Map.of("location", "rack 4", "purpose", "tests"));
    }

    private String register(KmsApi api, SoftHsmTokens.Token token, String pin) {
        JsonNode created = ok(api.post("/kms/v1/byohsm/connections", connection("softhsm", token, pin)), 201);
        assertThat(created.get("status").asString()).isEqualTo("pending_validation");
        assertThat(created.get("provider").asString()).isEqualTo("thales");
        assertThat(created.toString()).doesNotContain(pin);
        return created.get("connectionId").asString();
    }

    private String validConnection(KmsApi api) {
        String id = register(api, SoftHsmTokens.MAIN, SoftHsmTokens.MAIN.pin());
        assertThat(ok(api.post("/kms/v1/byohsm/connections/" + id + "/validate")).get("valid").asBoolean()).isTrue();
        return id;
    }

    private JsonNode createKey(KmsApi api, String connectionId, String keyType, List<String> purpose) {
        return ok(api.post("/kms/v1/byohsm/keys", Map.of("connectionId", connectionId, "keyType", keyType,
                "purpose", purpose, "metadata", Map.of("name", keyType + "-key", "description", "test"))), 201);
    }

    @Test
    void aKeyGeneratedInTheTokenWrapsAndUnwrapsADataKey() {
        String connectionId = validConnection(api);
        JsonNode key = createKey(api, connectionId, "aes", List.of("encrypt", "decrypt"));
        assertThat(key.get("algorithm").asString()).isEqualTo("AES-GCM");
        String keyId = key.get("keyId").asString();
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);

        JsonNode wrapped = ok(api.post("/kms/v1/byohsm/wrap", Map.of("wrappingKeyId", keyId, "keyToWrap",
                b64(dataKey), "algorithm", "AES-GCM")));
        assertThat(wrapped.get("wrappingKeyId").asString()).isEqualTo(keyId);
        byte[] wrappedBytes = Base64.getDecoder().decode(wrapped.get("wrappedKey").asString());
        assertThat(wrappedBytes).hasSizeGreaterThan(32);
        assertThat(wrapped.get("wrappedKey").asString()).doesNotContain(b64(dataKey));

        JsonNode unwrapped = ok(api.post("/kms/v1/byohsm/unwrap", Map.of("unwrappingKeyId", keyId,
                "wrappedKey", wrapped.get("wrappedKey").asString(), "algorithm", "AES-GCM")));
        assertThat(Base64.getDecoder().decode(unwrapped.get("unwrappedKey").asString())).isEqualTo(dataKey);

        // altered by one bit, it does not unwrap
        wrappedBytes[wrappedBytes.length - 1] ^= 1;
        assertFieldRefused(api.post("/kms/v1/byohsm/unwrap", Map.of("unwrappingKeyId", keyId,
                "wrappedKey", b64(wrappedBytes))), "wrappedKey");

        JsonNode listed = ok(api.get("/kms/v1/byohsm/keys")).get("keys");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("purpose").toString()).contains("encrypt", "decrypt");

        // the log holds every call into the token, with its latency; the health metrics come from it
        JsonNode operations = ok(api.get("/kms/v1/byohsm/connections/" + connectionId + "/operations"))
                .get("operations");
        List<String> types = new ArrayList<>();
        operations.forEach(o -> types.add(o.get("type").asString() + ":" + o.get("status").asString()));
        assertThat(types).contains("validate:success", "create_key:success", "wrap:success", "unwrap:success",
                "unwrap:failure");
        assertThat(operations.get(0).get("latencyMs").asDouble()).isPositive();
        JsonNode details = ok(api.get("/kms/v1/byohsm/connections/" + connectionId));
        assertThat(details.get("status").asString()).isEqualTo("active");
        assertThat(details.get("connectionConfig").get("endpoint").asString()).isEqualTo("hsm.example.internal");
        assertThat(details.get("connectionConfig").get("port").asInt()).isEqualTo(1792);
        assertThat(details.toString()).doesNotContain(SoftHsmTokens.MAIN.pin());
        JsonNode health = details.get("healthMetrics");
        assertThat(health.get("latencyMs").asDouble()).isPositive();
        assertThat(health.get("errorRate").asDouble()).isEqualTo(1.0 / types.size());
        assertThat(health.get("lastSuccessfulOperation").isNull()).isFalse();
    }

    @Test
    void signaturesMadeInTheTokenVerifyWithThePlainJdk() throws Exception {
        String connectionId = validConnection(api);
        byte[] message = ("invoice " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        for (String keyType : List.of("rsa", "ec")) {
            JsonNode key = createKey(api, connectionId, keyType, List.of("sign", "verify"));
            String keyId = key.get("keyId").asString();
            String algorithm = key.get("algorithm").asString();
            assertThat(algorithm).isEqualTo(keyType.equals("rsa") ? "RSASSA-PSS" : "SHA256withECDSA");
            JsonNode signed = ok(api.post("/kms/v1/byohsm/sign", Map.of("keyId", keyId, "data", b64(message),
                    "algorithm", algorithm)));
            byte[] signature = Base64.getDecoder().decode(signed.get("signature").asString());

            PublicKey publicKey = KeyFactory.getInstance(keyType.equals("rsa") ? "RSA" : "EC").generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(key.get("publicKey").asString())));
            Signature jdk = Signature.getInstance(algorithm);
            if (keyType.equals("rsa")) {
                jdk.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            }
            jdk.initVerify(publicKey);
            jdk.update(message);
            assertThat(jdk.verify(signature)).as(keyType).isTrue();
            assertThat(jdk.getProvider().getName()).doesNotContain("PKCS11");

            assertThat(ok(api.post("/kms/v1/byohsm/verify", Map.of("keyId", keyId, "data", b64(message),
                    "signature", b64(signature)))).get("valid").asBoolean()).isTrue();
            byte[] other = Arrays.copyOf(message, message.length + 1);
            assertThat(ok(api.post("/kms/v1/byohsm/verify", Map.of("keyId", keyId, "data", b64(other),
                    "signature", b64(signature)))).get("valid").asBoolean()).isFalse();
            // a signing key does not wrap
            assertFieldRefused(api.post("/kms/v1/byohsm/wrap", Map.of("wrappingKeyId", keyId,
                    "keyToWrap", b64(message))), "wrappingKeyId");
        }
    }

    @Test
    void whatTheTokenLacksIsRefusedNamingItsCapabilities() {
        String connectionId = validConnection(api);
        ResponseEntity<JsonNode> oaep = api.post("/kms/v1/byohsm/keys", Map.of("connectionId", connectionId,
                "keyType", "rsa", "purpose", List.of("encrypt", "decrypt")));
        assertFieldRefused(oaep, "algorithm");
        assertThat(oaep.getBody().get("details").get("capabilities").toString()).contains("Signature.RSASSA-PSS");
        ResponseEntity<JsonNode> pqc = api.post("/kms/v1/byohsm/keys", Map.of("connectionId", connectionId,
                "keyType", "pqc", "purpose", List.of("sign")));
        assertFieldRefused(pqc, "keyType");
        assertThat(pqc.getBody().get("details").get("capabilities").size()).isPositive();
        assertFieldRefused(api.post("/kms/v1/byohsm/keys", Map.of("connectionId", connectionId, "keyType", "ec",
                "purpose", List.of("encrypt"))), "purpose");
        assertFieldRefused(api.post("/kms/v1/byohsm/keys", Map.of("connectionId", connectionId, "keyType", "aes",
                "keySize", 512, "purpose", List.of("encrypt"))), "keySize");
    }

    @Test
    void validationReportsWhatFailedLoginWithAWrongPinOrAMissingSlot() {
        String wrongPin = register(api, SoftHsmTokens.LOCKED, "not-the-pin");
        JsonNode refused = ok(api.post("/kms/v1/byohsm/connections/" + wrongPin + "/validate"));
        assertThat(refused.get("valid").asBoolean()).isFalse();
        assertThat(refused.get("details").get("connectivity").asBoolean()).isTrue();
        assertThat(refused.get("details").get("authentication").asBoolean()).isFalse();
        assertThat(refused.get("errors").get(0).asString()).contains("login").contains("CKR_PIN_INCORRECT");
        assertThat(ok(api.get("/kms/v1/byohsm/connections/" + wrongPin)).get("status").asString()).isEqualTo("error");
        // a key cannot be made through it: the login failure is named
        ResponseEntity<JsonNode> noKey = api.post("/kms/v1/byohsm/keys", Map.of("connectionId", wrongPin,
                "keyType", "aes", "purpose", List.of("encrypt")));
        assertStatus(noKey, 422);
        assertThat(noKey.getBody().get("message").asString()).contains("login").contains("CKR_PIN_INCORRECT");

        Map<String, Object> missingSlot = new HashMap<>(connection("nowhere", SoftHsmTokens.MAIN, "1234"));
        missingSlot.put("connectionConfig", Map.of("library", SoftHsmTokens.LIBRARY, "slot", 4242, "pin", "1234"));
        String nowhere = ok(api.post("/kms/v1/byohsm/connections", missingSlot), 201).get("connectionId").asString();
        JsonNode noSlot = ok(api.post("/kms/v1/byohsm/connections/" + nowhere + "/validate"));
        assertThat(noSlot.get("valid").asBoolean()).isFalse();
        assertThat(noSlot.get("details").get("connectivity").asBoolean()).isFalse();
        assertThat(noSlot.get("errors").get(0).asString()).startsWith("slot failed");
        JsonNode listed = ok(api.get("/kms/v1/byohsm/connections")).get("connections");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("lastHealthCheckAt").isNull()).isFalse();
    }

    @Test
    void aLibraryOffTheOperatorsListIsRefused() {
        Map<String, Object> request = new HashMap<>(connection("rogue", SoftHsmTokens.MAIN, "1234"));
        request.put("connectionConfig", Map.of("library", "/tmp/evil.so", "slot", 1, "pin", "1234"));
        assertFieldRefused(api.post("/kms/v1/byohsm/connections", request), "connectionConfig.library");
        request.put("provider", "acme");
        request.put("connectionConfig", Map.of("library", SoftHsmTokens.LIBRARY, "slot", 1, "pin", "1234"));
        assertFieldRefused(api.post("/kms/v1/byohsm/connections", request), "provider");
        assertThat(ok(api.get("/kms/v1/byohsm/connections")).get("connections")).isEmpty();
    }

    @Test
    void aConnectionIsRenamedReconfiguredAndDeleted() {
        String id = validConnection(api);
        JsonNode renamed = ok(api.patch("/kms/v1/byohsm/connections/" + id, Map.of("name", "primary")));
        assertThat(renamed.get("connectionId").asString()).isEqualTo(id);
        JsonNode details = ok(api.get("/kms/v1/byohsm/connections/" + id));
        assertThat(details.get("name").asString()).isEqualTo("primary");
        assertThat(details.get("status").asString()).isEqualTo("active");
        ok(api.patch("/kms/v1/byohsm/connections/" + id, Map.of("connectionConfig",
                Map.of("pin", SoftHsmTokens.MAIN.pin()))));
        assertThat(ok(api.get("/kms/v1/byohsm/connections/" + id)).get("status").asString())
                .isEqualTo("pending_validation");
        assertStatus(api.delete("/kms/v1/byohsm/connections/" + id), 204);
        assertStatus(api.get("/kms/v1/byohsm/connections/" + id), 404);
    }

    /** One endpoint of the API: how to call it, the scope it needs, and a bad input naming a field if it has one. */
    private record Endpoint(String name, String scope, Function<KmsApi, ResponseEntity<JsonNode>> call,
                            Function<KmsApi, ResponseEntity<JsonNode>> badInput, String field) {
    }

    @Test
    void everyPathNeedsATokenItsScopeTheAddOnAndTheCallersTenant() {
        String connectionId = validConnection(api);
        String aes = createKey(api, connectionId, "aes", List.of("encrypt", "decrypt")).get("keyId").asString();
        String ec = createKey(api, connectionId, "ec", List.of("sign", "verify")).get("keyId").asString();
        String wrapped = ok(api.post("/kms/v1/byohsm/wrap", Map.of("wrappingKeyId", aes, "keyToWrap",
                b64(new byte[32])))).get("wrappedKey").asString();
        String signature = ok(api.post("/kms/v1/byohsm/sign", Map.of("keyId", ec, "data", b64(new byte[8]))))
                .get("signature").asString();
        String connection = "/kms/v1/byohsm/connections/" + connectionId;
        Map<String, Object> newConnection = connection("other", SoftHsmTokens.MAIN, "1234");

        List<Endpoint> endpoints = List.of(
                new Endpoint("create connection", KmsScopes.WRITE,
                        a -> a.post("/kms/v1/byohsm/connections", newConnection),
                        a -> a.post("/kms/v1/byohsm/connections", Map.of("provider", "thales")), "name"),
                new Endpoint("list connections", KmsScopes.READ, a -> a.get("/kms/v1/byohsm/connections"),
                        null, null),
                new Endpoint("get connection", KmsScopes.READ, a -> a.get(connection), null, null),
                new Endpoint("update connection", KmsScopes.WRITE, a -> a.patch(connection, Map.of("name", "x")),
                        a -> a.patch(connection, Map.of("name", " ")), "name"),
                new Endpoint("validate", KmsScopes.WRITE, a -> a.post(connection + "/validate"), null, null),
                new Endpoint("operations", KmsScopes.READ, a -> a.get(connection + "/operations"),
                        a -> a.get(connection + "/operations?limit=0"), "limit"),
                new Endpoint("create key", KmsScopes.WRITE, a -> a.post("/kms/v1/byohsm/keys",
                        Map.of("connectionId", connectionId, "keyType", "aes", "purpose", List.of("encrypt"))),
                        a -> a.post("/kms/v1/byohsm/keys", Map.of("connectionId", connectionId, "keyType", "des",
                                "purpose", List.of("encrypt"))), "keyType"),
                new Endpoint("list keys", KmsScopes.READ, a -> a.get("/kms/v1/byohsm/keys"), null, null),
                new Endpoint("wrap", KmsScopes.USE, a -> a.post("/kms/v1/byohsm/wrap",
                        Map.of("wrappingKeyId", aes, "keyToWrap", b64(new byte[16]))),
                        a -> a.post("/kms/v1/byohsm/wrap", Map.of("wrappingKeyId", aes, "keyToWrap", "%%%")),
                        "keyToWrap"),
                new Endpoint("unwrap", KmsScopes.USE, a -> a.post("/kms/v1/byohsm/unwrap",
                        Map.of("unwrappingKeyId", aes, "wrappedKey", wrapped)),
                        a -> a.post("/kms/v1/byohsm/unwrap", Map.of("unwrappingKeyId", "not-an-id",
                                "wrappedKey", wrapped)), "unwrappingKeyId"),
                new Endpoint("sign", KmsScopes.USE, a -> a.post("/kms/v1/byohsm/sign",
                        Map.of("keyId", ec, "data", b64(new byte[8]))),
                        a -> a.post("/kms/v1/byohsm/sign", Map.of("keyId", ec)), "data"),
                new Endpoint("verify", KmsScopes.USE, a -> a.post("/kms/v1/byohsm/verify",
                        Map.of("keyId", ec, "data", b64(new byte[8]), "signature", signature)),
                        a -> a.post("/kms/v1/byohsm/verify", Map.of("keyId", ec, "data", b64(new byte[8]),
                                "signature", "not base64!")), "signature"),
                new Endpoint("delete connection", KmsScopes.WRITE, a -> a.delete(connection), null, null));

        KmsApi anonymous = KmsApi.withToken(port, null);
        KmsApi expired = KmsApi.withToken(port, TestTokens.forTenant(tenant).scopes(KmsApi.ALL_SCOPES)
                .addOns("byohsm").expired().mint());
        KmsApi noAddOn = KmsApi.of(port, tenant, "no-add-on", KmsApi.ALL_SCOPES);
        KmsApi stranger = byohsm("tenant-" + UUID.randomUUID(), KmsApi.ALL_SCOPES);
        for (Endpoint endpoint : endpoints) {
            assertStatus(endpoint.call().apply(anonymous), 401);
            assertStatus(endpoint.call().apply(expired), 401);
            String[] otherScopes = Arrays.stream(KmsApi.ALL_SCOPES).filter(s -> !s.equals(endpoint.scope()))
                    .toArray(String[]::new);
            assertForbidden(endpoint.call().apply(byohsm(tenant, otherScopes)), endpoint.scope());
            ResponseEntity<JsonNode> withoutAddOn = endpoint.call().apply(noAddOn);
            assertStatus(withoutAddOn, 403);
            assertThat(withoutAddOn.getBody().get("details").get("addOn").asString()).as(endpoint.name())
                    .isEqualTo("byohsm");
            if (endpoint.badInput() != null) {
                assertFieldRefused(endpoint.badInput().apply(api), endpoint.field());
            }
            ResponseEntity<JsonNode> fromStranger = endpoint.call().apply(stranger);
            switch (endpoint.name()) {
                case "create connection" -> ok(fromStranger, 201);
                case "list connections" -> assertThat(ok(fromStranger).get("connections").toString())
                        .doesNotContain(connectionId);
                case "list keys" -> assertThat(ok(fromStranger).get("keys").toString()).doesNotContain(aes);
                default -> assertStatus(fromStranger, 404);
            }
        }
        // and with everything, each works
        for (Endpoint endpoint : endpoints) {
            assertThat(endpoint.call().apply(api).getStatusCode().value()).as(endpoint.name()).isLessThan(300);
        }
    }
}
