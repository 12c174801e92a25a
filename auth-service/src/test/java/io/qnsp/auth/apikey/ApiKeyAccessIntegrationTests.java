package io.qnsp.auth.apikey;

import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static io.qnsp.auth.apikey.DataHubAssertions.error;
import static io.qnsp.auth.apikey.DataHubAssertions.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Who may do what: tenants see only their own keys, scopes gate each endpoint, and every change is audited. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
@Import(ApiKeyTestConfiguration.class)
class ApiKeyAccessIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    ApiKeyUsage usage;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    String tenant;
    KeysClient owner;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        owner = KeysClient.writer(port, tenant);
    }

    // nothing left for the shutdown flush, which would race the test database's own shutdown
    @AfterEach
    void flushUses() {
        usage.flush();
    }

    @Test
    void anotherTenantsKeyIsNotFoundAndStaysUntouched() {
        JsonNode key = owner.createKey("Acme key", "read:requests");
        String id = key.get("id").asString();
        KeysClient other = KeysClient.writer(port, "other-" + UUID.randomUUID());
        other.createKey("Globex key");

        error(other.get(id), 404, "NOT_FOUND");
        error(other.update(id, Map.of("name", "Hijacked", "scopes", List.of("admin"))), 404, "NOT_FOUND");
        error(other.revoke(id), 404, "NOT_FOUND");
        error(other.rotate(id, Map.of("deprecationPeriod", 0)), 404, "NOT_FOUND");
        JsonNode othersList = success(other.list(""), 200);
        assertThat(othersList.findValuesAsString("id")).doesNotContain(id).hasSize(1);

        JsonNode unchanged = success(owner.get(id), 200);
        assertThat(unchanged.get("name").asString()).isEqualTo("Acme key");
        assertThat(unchanged.get("scopes").toString()).isEqualTo("[\"read:requests\"]");
        assertThat(unchanged.get("status").asString()).isEqualTo("active");
        assertThat(KeysClient.gateway(port).verify(key.get("apiKey").asString()).getBody().get("tenantId")
                .asString()).isEqualTo(tenant);
        assertThat(success(owner.list(""), 200).findValuesAsString("id")).containsExactly(id);
    }

    @Test
    void aCallerWithoutATenantCannotOwnKeys() {
        KeysClient operator = KeysClient.withToken(port, TestTokens.withoutTenant().roles("admin").mint());

        error(operator.create(KeysClient.keyRequest("No tenant")), 403, "FORBIDDEN");
        error(operator.list(""), 403, "FORBIDDEN");
    }

    @Test
    void readScopeReadsButCannotChange() {
        String id = owner.createKey("Read only target").get("id").asString();
        KeysClient reader = KeysClient.withToken(port, TestTokens.forTenant(tenant).scopes("read:keys").mint());

        success(reader.list(""), 200);
        success(reader.get(id), 200);
        JsonNode refused = error(reader.create(KeysClient.keyRequest("Not allowed")), 403, "INSUFFICIENT_SCOPE");
        assertThat(refused.get("details").get("missingScopes").toString()).isEqualTo("[\"write:keys\"]");
        error(reader.update(id, Map.of("name", "Renamed")), 403, "INSUFFICIENT_SCOPE");
        error(reader.revoke(id), 403, "INSUFFICIENT_SCOPE");
        error(reader.rotate(id, Map.of()), 403, "INSUFFICIENT_SCOPE");

        JsonNode key = success(owner.get(id), 200);
        assertThat(key.get("name").asString()).isEqualTo("Read only target");
        assertThat(key.get("status").asString()).isEqualTo("active");
        assertThat(success(owner.list(""), 200).size()).isEqualTo(1);
    }

    @Test
    void writeScopeAloneCannotRead() {
        KeysClient writerOnly = KeysClient.withToken(port, TestTokens.forTenant(tenant).scopes("write:keys").mint());
        String id = success(writerOnly.create(KeysClient.keyRequest("Written blind")), 201).get("id").asString();

        JsonNode refused = error(writerOnly.get(id), 403, "INSUFFICIENT_SCOPE");
        assertThat(refused.get("details").get("missingScopes").toString()).isEqualTo("[\"read:keys\"]");
        error(writerOnly.list(""), 403, "INSUFFICIENT_SCOPE");
        error(KeysClient.withToken(port, TestTokens.forTenant(tenant).scopes("read:requests").mint()).list(""),
                403, "INSUFFICIENT_SCOPE");
    }

    @Test
    void theAdminScopeAndTheAdminRoleHoldEveryKeyScope() {
        for (KeysClient admin : List.of(
                KeysClient.withToken(port, TestTokens.forTenant(tenant).scopes("admin").mint()),
                KeysClient.withToken(port, TestTokens.forTenant(tenant).roles("admin").mint()))) {
            String id = success(admin.create(KeysClient.keyRequest("By an admin")), 201).get("id").asString();
            success(admin.get(id), 200);
            success(admin.update(id, Map.of("name", "Renamed by admin")), 200);
            success(admin.rotate(id, Map.of()), 200);
            success(admin.revoke(id), 200);
            success(admin.list(""), 200);
        }
    }

    @Test
    void withoutCredentialsEveryEndpointAnswersMissingApiKey() {
        KeysClient anonymous = KeysClient.anonymous(port);
        String id = owner.createKey("Anonymous target").get("id").asString();

        List<Function<KeysClient, ResponseEntity<JsonNode>>> calls = List.of(
                c -> c.create(KeysClient.keyRequest("Anonymous")), c -> c.list(""), c -> c.get(id),
                c -> c.update(id, Map.of("name", "Anonymous")), c -> c.revoke(id), c -> c.rotate(id, Map.of()));
        KeysClient expired = KeysClient.withToken(port, TestTokens.forTenant(tenant)
                .scopes("read:keys", "write:keys").expired().mint());
        KeysClient forged = KeysClient.withToken(port, TestTokens.forTenant(tenant)
                .scopes("read:keys", "write:keys").wrongSignature().mint());
        for (Function<KeysClient, ResponseEntity<JsonNode>> call : calls) {
            error(call.apply(anonymous), 401, "MISSING_API_KEY");
            error(call.apply(expired), 401, "INVALID_API_KEY");
            error(call.apply(forged), 401, "INVALID_API_KEY");
        }
        assertThat(success(owner.get(id), 200).get("name").asString()).isEqualTo("Anonymous target");
    }

    @Test
    void everyChangeIsAuditedWithTheKeyIdAndRefusalsAsDenied() {
        String requester = "user-" + tenant;
        String id = owner.createKey("Audited key").get("id").asString();
        success(owner.update(id, Map.of("name", "Audited and renamed")), 200);
        String successor = success(owner.rotate(id, Map.of("deprecationPeriod", 60)), 200)
                .get("newKey").get("id").asString();
        success(owner.revoke(successor), 200);
        KeysClient.withToken(port, TestTokens.forTenant(tenant).scopes("read:keys").mint()).revoke(id);

        List<JsonNode> events = awaitAuditEvents(tenant, 5);
        assertThat(events).extracting(e -> e.get("action").asString()).containsExactly("auth.api_key.created",
                "auth.api_key.updated", "auth.api_key.rotated", "auth.api_key.revoked", "auth.api_key.revoked");
        assertThat(events).extracting(e -> e.get("resourceId").asString()).containsExactly(id, id, id, successor, id);
        assertThat(events).extracting(e -> e.get("outcome").asString())
                .containsExactly("success", "success", "success", "success", "denied");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("resourceType").asString()).isEqualTo("api_key");
            assertThat(e.get("service").asString()).isEqualTo("auth-service");
        });
        assertThat(events.subList(0, 4)).allSatisfy(e -> assertThat(e.get("actor").asString()).isEqualTo(requester));
        // the key's name (what search indexes it by) is in the details of its creation and change; never the key
        assertThat(events.get(0).at("/details/name").asString()).isEqualTo("Audited key");
        assertThat(events.get(0).at("/details/keyPrefix").asString()).endsWith("...");
        assertThat(events.get(1).at("/details/name").asString()).isEqualTo("Audited and renamed");
        assertThat(events.toString()).doesNotContainPattern("dh_(live|test)_[A-Za-z0-9]{20,}");
    }

    private List<JsonNode> awaitAuditEvents(String tenantId, int count) {
        return await(count + " audit events of " + tenantId).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> auditEvents(tenantId), events -> events.size() >= count);
    }

    private List<JsonNode> auditEvents(String tenantId) {
        List<JsonNode> events = new ArrayList<>();
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().range(keys.key("events:audit"),
                Range.unbounded());
        for (MapRecord<String, Object, Object> record : records == null ? List.<MapRecord<String, Object, Object>>of()
                : records) {
            JsonNode event = JsonMapper.shared().readTree((String) record.getValue().get("payload"));
            if (tenantId.equals(event.get("tenantId").asString(null))) {
                events.add(event);
            }
        }
        return events;
    }
}
