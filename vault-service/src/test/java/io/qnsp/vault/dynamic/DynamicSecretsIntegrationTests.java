package io.qnsp.vault.dynamic;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import io.qnsp.vault.VaultScopes;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.vault.dynamic.DynamicApi.CONFIGS;
import static io.qnsp.vault.dynamic.DynamicApi.SELECT_ALL;
import static io.qnsp.vault.dynamic.DynamicApi.assertFieldRefused;
import static io.qnsp.vault.dynamic.DynamicApi.assertStatus;
import static io.qnsp.vault.dynamic.DynamicApi.postgresConfig;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dynamic PostgreSQL credentials over real HTTP, against the tests' own PostgreSQL server: the credentials log in
 * and can do what the role template grants and nothing more; revocation and expiry refuse new logins and end open
 * sessions; renewal moves {@code VALID UNTIL} within {@code ttl.max}; the backend is checked at creation; hostile
 * names and templates cannot inject; tenants see nothing of each other; validation and the controls.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class DynamicSecretsIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    LeaseRevocation revocation;

    @Autowired
    JdbcTemplate jdbc;

    TestBackends.PostgresServer server;
    TestBackends.Admin admin;
    String tenant;
    DynamicApi api;

    @BeforeEach
    void setUp() {
        server = TestBackends.postgres();
        admin = server.admin();
        tenant = "tenant-" + UUID.randomUUID();
        api = DynamicApi.forTenant(port, tenant, DynamicApi.ALL_SCOPES);
    }

    String selectConfig(String defaultTtl, String maxTtl) {
        return api.createConfig(postgresConfig("reporting-" + TestBackends.random(6), server, admin, SELECT_ALL,
                defaultTtl, maxTtl));
    }

    @Test
    void credentialsLogInAndMayDoWhatTheRoleTemplateGrantsAndNoMore() throws SQLException {
        String configId = selectConfig("PT10M", "PT1H");
        JsonNode issued = api.issue(configId, "PT5M");
        String username = issued.get("credentials").get("username").asString();
        String password = issued.get("credentials").get("password").asString();
        assertThat(username).matches("qv_reporting_[a-z0-9]{6}_[a-z0-9]{10}");
        assertThat(password).hasSize(32);
        assertThat(issued.get("renewable").asBoolean()).isTrue();
        Instant expiresAt = Instant.parse(issued.get("expiresAt").asString());
        assertThat(expiresAt).isBetween(Instant.now().plus(Duration.ofMinutes(4)),
                Instant.now().plus(Duration.ofMinutes(5)));

        try (Connection db = server.login(username, password); Statement s = db.createStatement();
             ResultSet rows = s.executeQuery("SELECT item FROM inventory ORDER BY id")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("hammer");
            assertThatThrownBy(() -> s.execute("INSERT INTO inventory VALUES (99, 'stolen')"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        assertThatThrownBy(() -> server.login(username, password + "x").close()).isInstanceOf(SQLException.class);
        // PostgreSQL itself enforces the lease's expiry for password logins
        try (Connection db = server.asSuperuser(); var query = db.prepareStatement(
                "SELECT rolvaliduntil, rolsuper, rolcreaterole FROM pg_roles WHERE rolname = ?")) {
            query.setString(1, username);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getTimestamp(1).toInstant()).isEqualTo(expiresAt);
                assertThat(row.getBoolean(2)).isFalse();
                assertThat(row.getBoolean(3)).isFalse();
            }
        }

        JsonNode lease = api.lease(configId, issued.get("leaseId").asString());
        assertThat(lease.get("status").asString()).isEqualTo("active");
        assertThat(lease.get("username").asString()).isEqualTo(username);
        assertThat(lease.get("purpose").asString()).isEqualTo("test");
        assertThat(lease.get("requestedBy").asString()).isEqualTo("ci");
        assertThat(lease.get("revocation").isNull()).isTrue();
        assertThat(lease.toString()).doesNotContain(password);
        JsonNode configs = expect(api.get(CONFIGS), 200).get("configs");
        assertThat(configs).hasSize(1);
        assertThat(configs.get(0).get("activeLeases").asLong()).isEqualTo(1);
        assertThat(configs.get(0).get("backend").asString()).isEqualTo("postgres");
        assertThat(configs.get(0).get("type").asString()).isEqualTo("database");
        assertThat(configs.get(0).properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("configId", "name", "type", "backend", "activeLeases");
        // billed once, audited with the config it was made from
        assertThat(events(tenant, "vault.dynamic_secret_generate")).isEqualTo(1);
        assertThat(events(tenant, "vault.dynamic_credentials.generated")).isEqualTo(1);
    }

    @Test
    void aRevokedLeaseRefusesLoginsAndItsOpenSessionIsGone() throws SQLException {
        String configId = selectConfig("PT10M", "PT1H");
        JsonNode issued = api.issue(configId, null);
        String leaseId = issued.get("leaseId").asString();
        String username = issued.get("credentials").get("username").asString();
        String password = issued.get("credentials").get("password").asString();
        Connection open = server.login(username, password);
        try {
            assertThat(count(open)).isEqualTo(2);

            JsonNode revoked = expect(api.revoke(leaseId), 200);
            assertThat(revoked.get("leaseId").asString()).isEqualTo(leaseId);
            assertThat(revoked.get("status").asString()).isEqualTo("revoked");
            Instant revokedAt = Instant.parse(revoked.get("revokedAt").asString());

            assertThatThrownBy(() -> count(open)).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> server.login(username, password).close()).isInstanceOf(SQLException.class);
            assertThat(server.roleExists(username)).isFalse();
            JsonNode lease = api.lease(configId, leaseId);
            assertThat(lease.get("status").asString()).isEqualTo("revoked");
            assertThat(lease.get("renewable").asBoolean()).isFalse();
            assertThat(lease.get("revocation").get("reason").asString()).isEqualTo("manual");
            assertThat(lease.get("revocation").get("pending").asBoolean()).isFalse();
            assertThat(lease.get("revocation").get("attempts").asInt()).isEqualTo(1);

            // revoking again changes nothing; renewing is refused
            JsonNode again = expect(api.revoke(leaseId), 200);
            assertThat(Instant.parse(again.get("revokedAt").asString())).isEqualTo(revokedAt);
            ResponseEntity<JsonNode> renewed = api.renew(leaseId, "PT1M");
            assertStatus(renewed, 409);
            assertThat(renewed.getBody().get("details").get("reason").asString()).isEqualTo("revoked");
            assertThat(api.stats().get("revokedLeases").asLong()).isEqualTo(1);
        } finally {
            open.close();
        }
    }

    @Test
    void anExpiredLeaseIsDroppedByTheSweeperWithItsOpenSession() throws SQLException {
        String configId = selectConfig("PT10M", "PT1H");
        JsonNode issued = api.issue(configId, "PT2S");
        String leaseId = issued.get("leaseId").asString();
        String username = issued.get("credentials").get("username").asString();
        String password = issued.get("credentials").get("password").asString();
        Instant expiresAt = Instant.parse(issued.get("expiresAt").asString());
        Connection open = server.login(username, password);
        try {
            assertThat(count(open)).isEqualTo(2);
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Instant.now().isAfter(expiresAt));
            // past its time the lease is expired, and PostgreSQL refuses its logins, before any sweep
            assertThat(api.lease(configId, leaseId).get("status").asString()).isEqualTo("expired");
            assertThatThrownBy(() -> server.login(username, password).close()).isInstanceOf(SQLException.class);
            assertThat(count(open)).as("VALID UNTIL leaves open sessions alone").isEqualTo(2);

            assertThat(revocation.sweep()).isGreaterThanOrEqualTo(1);

            assertThatThrownBy(() -> count(open)).isInstanceOf(SQLException.class);
            assertThat(server.roleExists(username)).isFalse();
            JsonNode lease = api.lease(configId, leaseId);
            assertThat(lease.get("status").asString()).isEqualTo("expired");
            assertThat(lease.get("revokedAt").isNull()).isFalse();
            assertThat(lease.get("revocation").get("reason").asString()).isEqualTo("expiry");
            assertThat(lease.get("revocation").get("pending").asBoolean()).isFalse();
            JsonNode stats = api.stats();
            assertThat(stats.get("expiredLeases").asLong()).isEqualTo(1);
            assertThat(stats.get("activeLeases").asLong()).isZero();
            assertThat(events(tenant, "vault.dynamic_secret_lease.expired")).isEqualTo(1);
            // revoking it now answers how it ended
            JsonNode revoked = expect(api.revoke(leaseId), 200);
            assertThat(revoked.get("status").asString()).isEqualTo("expired");
            assertStatus(api.renew(leaseId, null), 409);
        } finally {
            open.close();
        }
    }

    @Test
    void renewalMovesValidUntilButNeverPastTheMaximumFromCreation() throws SQLException {
        String configId = selectConfig("PT1M", "PT3M");
        JsonNode issued = api.issue(configId, null);
        String leaseId = issued.get("leaseId").asString();
        String username = issued.get("credentials").get("username").asString();
        Instant first = Instant.parse(issued.get("expiresAt").asString());
        Instant createdAt = Instant.parse(api.lease(configId, leaseId).get("createdAt").asString());
        assertThat(first).isEqualTo(createdAt.plus(Duration.ofMinutes(1)));

        JsonNode renewed = expect(api.renew(leaseId, "PT2M"), 200);
        Instant second = Instant.parse(renewed.get("expiresAt").asString());
        assertThat(second).isAfter(first).isBeforeOrEqualTo(createdAt.plus(Duration.ofMinutes(3)));
        assertThat(renewed.get("renewable").asBoolean()).isTrue();
        assertThat(validUntil(username)).isEqualTo(second);

        assertFieldRefused(api.renew(leaseId, "PT4M"), "ttl");
        assertFieldRefused(api.renew(leaseId, "soon"), "ttl");
        JsonNode capped = expect(api.renew(leaseId, "PT3M"), 200);
        Instant last = Instant.parse(capped.get("expiresAt").asString());
        assertThat(last).isEqualTo(createdAt.plus(Duration.ofMinutes(3)));
        assertThat(capped.get("renewable").asBoolean()).isFalse();
        assertThat(validUntil(username)).isEqualTo(last);
        assertThat(api.lease(configId, leaseId).get("renewable").asBoolean()).isFalse();

        ResponseEntity<JsonNode> refused = api.renew(leaseId, "PT1M");
        assertStatus(refused, 409);
        assertThat(refused.getBody().get("details").get("reason").asString()).isEqualTo("max_ttl_reached");
        expect(api.revoke(leaseId), 200);
    }

    @Test
    void theBackendIsCheckedAtCreationWithoutEchoingWhatWasGiven() throws Exception {
        TestBackends.Admin wrong = new TestBackends.Admin(admin.user(), TestBackends.password());
        ResponseEntity<JsonNode> badPassword = api.post(CONFIGS, postgresConfig("wrong-password", server, wrong,
                SELECT_ALL, "PT1M", "PT1H"));
        assertCheckFailed(badPassword, "backend.credentials", "authentication_failed");
        assertThat(badPassword.getBody().toString()).doesNotContain(wrong.password());

        Map<String, Object> unreachable = postgresConfig("unreachable", server, admin, SELECT_ALL, "PT1M", "PT1H");
        ((Map<String, Object>) unreachable.get("backend")).put("connectionString",
                "jdbc:postgresql://127.0.0.1:" + closedPort() + "/" + server.database());
        assertCheckFailed(api.post(CONFIGS, unreachable), "backend.connectionString", "unreachable");

        Map<String, Object> noDatabase = postgresConfig("no-database", server, admin, SELECT_ALL, "PT1M", "PT1H");
        ((Map<String, Object>) noDatabase.get("backend")).put("connectionString",
                "jdbc:postgresql://" + server.host() + ":" + server.port() + "/qv_missing_" + TestBackends.random(6));
        assertCheckFailed(api.post(CONFIGS, noDatabase), "backend.connectionString", "database_not_found");

        TestBackends.Admin plain = server.unprivileged();
        assertCheckFailed(api.post(CONFIGS, postgresConfig("plain", server, plain, SELECT_ALL, "PT1M", "PT1H")),
                "backend.credentials", "insufficient_privilege");

        ResponseEntity<JsonNode> badGrant = api.post(CONFIGS, postgresConfig("bad-grant", server, admin,
                SELECT_ALL + "; GRANT SELECT ON no_such_table TO {{username}}", "PT1M", "PT1H"));
        assertCheckFailed(badGrant, "template.roleTemplate", "role_template_failed");
        assertThat(badGrant.getBody().get("details").get("statement").asInt()).isEqualTo(2);
        assertThat(badGrant.getBody().get("details").get("sqlState").asString()).isEqualTo("42P01");

        // nothing of the refused configs stays, on the backend either
        assertThat(expect(api.get(CONFIGS), 200).get("configs")).isEmpty();
        try (Connection db = server.asSuperuser(); Statement s = db.createStatement();
             ResultSet row = s.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'qnsp_probe_%'")) {
            row.next();
            assertThat(row.getInt(1)).isZero();
        }
    }

    @Test
    void aHostileNameOrTemplateCannotInject() throws SQLException {
        String hostileName = "x\"; DROP ROLE postgres; --";
        Map<String, Object> hostile = postgresConfig(hostileName, server, admin, SELECT_ALL, "PT1M", "PT1H");
        ((Map<String, Object>) hostile.get("template")).replace("usernameTemplate",
                "x\"; DROP ROLE postgres; --{{random}}");
        assertFieldRefused(api.post(CONFIGS, hostile), "template.usernameTemplate");

        for (String template : List.of(SELECT_ALL + "; DROP ROLE postgres",
                SELECT_ALL + " -- and more", "GRANT SELECT ON inventory TO '{{username}}'",
                "GRANT SELECT ON inventory TO {{username}}; ALTER ROLE {{username}} SUPERUSER",
                "GRANT SELECT ON inventory TO {{password}}", "GRANT SELECT ON inventory TO $$x$$",
                "GRANT SELECT ON inventory TO public")) {
            Map<String, Object> body = postgresConfig("hostile-" + TestBackends.random(6), server, admin, template,
                    "PT1M", "PT1H");
            assertFieldRefused(api.post(CONFIGS, body), "template.roleTemplate");
        }

        // a hostile name goes into usernames only as lowercase letters, digits and _
        String configId = api.createConfig(postgresConfig(hostileName, server, admin, SELECT_ALL, "PT1M", "PT1H"));
        JsonNode issued = api.issue(configId, null);
        String username = issued.get("credentials").get("username").asString();
        assertThat(username).matches("qv_x_drop_role_post_[a-z0-9]{10}");
        assertThat(server.roleExists("postgres")).isTrue();
        try (Connection db = server.login(username, issued.get("credentials").get("password").asString())) {
            assertThat(count(db)).isEqualTo(2);
        }
        expect(api.revoke(issued.get("leaseId").asString()), 200);
        assertThat(server.roleExists("postgres")).isTrue();
    }

    @Test
    void requestsBreakingTheRulesAreRefusedNamingTheField() {
        Map<String, Object> good = postgresConfig("valid", server, admin, SELECT_ALL, "PT1M", "PT1H");

        assertFieldRefused(api.post(CONFIGS, with(good, "type", "cloud_credentials")), "type");
        ResponseEntity<JsonNode> unknownType = api.post(CONFIGS, with(good, "type", "magic"));
        assertFieldRefused(unknownType, "type");
        assertThat(unknownType.getBody().get("message").asString()).contains("database");
        for (String backend : List.of("mongodb", "aws", "azure", "gcp", "oracle")) {
            Map<String, Object> body = deepCopy(good);
            ((Map<String, Object>) body.get("backend")).put("type", backend);
            ResponseEntity<JsonNode> refused = api.post(CONFIGS, body);
            assertFieldRefused(refused, "backend.type");
            assertThat(refused.getBody().get("message").asString()).contains("postgres", "mysql");
        }
        assertFieldRefused(api.post(CONFIGS, without(good, "name")), "name");
        assertFieldRefused(api.post(CONFIGS, without(good, "backend")), "backend");
        for (String url : List.of("jdbc:mysql://" + server.host() + "/db", "postgresql://host/db",
                "jdbc:postgresql://host", "jdbc:postgresql://host:99999/db",
                "jdbc:postgresql://host/db?socketFactory=org.example.Evil",
                "jdbc:postgresql://host/db?loggerFile=/tmp/x", "jdbc:postgresql://host/db?sslmode=maybe",
                "jdbc:postgresql://a,b/db", "jdbc:postgresql://user:pw@host/db")) {
            Map<String, Object> body = deepCopy(good);
            ((Map<String, Object>) body.get("backend")).put("connectionString", url);
            assertFieldRefused(api.post(CONFIGS, body), "backend.connectionString");
        }
        Map<String, Object> noCredentials = deepCopy(good);
        ((Map<String, Object>) noCredentials.get("backend")).remove("credentials");
        assertFieldRefused(api.post(CONFIGS, noCredentials), "backend.credentials");
        Map<String, Object> textCredentials = deepCopy(good);
        ((Map<String, Object>) textCredentials.get("backend")).put("credentials", "admin:secret");
        assertFieldRefused(api.post(CONFIGS, textCredentials), "backend.credentials");
        Map<String, Object> noPassword = deepCopy(good);
        ((Map<String, Object>) noPassword.get("backend")).put("credentials", Map.of("username", "x"));
        assertFieldRefused(api.post(CONFIGS, noPassword), "backend.credentials.password");
        assertFieldRefused(api.post(CONFIGS, with(good, "ttl", Map.of("default", "1h", "max", "PT1H"))),
                "ttl.default");
        assertFieldRefused(api.post(CONFIGS, with(good, "ttl", Map.of("default", "PT0S", "max", "PT1H"))),
                "ttl.default");
        assertFieldRefused(api.post(CONFIGS, with(good, "ttl", Map.of("default", "PT1M", "max", "-PT1H"))),
                "ttl.max");
        assertFieldRefused(api.post(CONFIGS, with(good, "ttl", Map.of("default", "PT2H", "max", "PT1H"))),
                "ttl.default");
        assertFieldRefused(api.post(CONFIGS, with(good, "ttl", Map.of("default", "PT1H", "max", "P1Y"))), "ttl.max");
        assertFieldRefused(api.post(CONFIGS, with(good, "ttl", Map.of("default", "PT1H", "max", "P90D"))),
                "ttl.max");
        assertFieldRefused(api.post(CONFIGS, with(good, "template", Map.of("usernameTemplate", "qv_{{name}}",
                "roleTemplate", SELECT_ALL))), "template.usernameTemplate");
        assertFieldRefused(api.post(CONFIGS, with(good, "template", Map.of("usernameTemplate",
                "qv_" + "a".repeat(60) + "{{random}}", "roleTemplate", SELECT_ALL))), "template.usernameTemplate");
        assertFieldRefused(api.post(CONFIGS, with(good, "template", Map.of("usernameTemplate", "pg_{{random}}",
                "roleTemplate", SELECT_ALL))), "template.usernameTemplate");
        assertFieldRefused(api.post(CONFIGS, with(good, "template", Map.of("usernameTemplate", "qv_{{random}}"))),
                "template.roleTemplate");
        assertFieldRefused(api.postJson(CONFIGS, "{\"name\": \"broken\", "), "body");
        assertThat(api.postJson(CONFIGS, "{\"name\": 5, \"ttl\": []}").getStatusCode().value()).isEqualTo(400);

        String configId = api.createConfig(good);
        assertStatus(api.post(CONFIGS, good), 409);
        assertFieldRefused(api.credentials(configId, "PT2H"), "ttl");
        assertFieldRefused(api.credentials(configId, "P1M"), "ttl");
        assertFieldRefused(api.credentials(configId, "PT-1M"), "ttl");
        assertFieldRefused(api.post(CONFIGS + "/" + configId + "/credentials", Map.of("metadata",
                Map.of("purpose", "p".repeat(300)))), "metadata.purpose");
        assertThat(api.leases(configId)).isEmpty();
    }

    @Test
    void anotherTenantFindsNoneOfItAndMalformedIdsAreNotFound() {
        String configId = selectConfig("PT1M", "PT1H");
        String leaseId = api.issue(configId, null).get("leaseId").asString();
        DynamicApi other = DynamicApi.forTenant(port, "tenant-" + UUID.randomUUID(), DynamicApi.ALL_SCOPES);

        assertStatus(other.get(CONFIGS + "/" + configId + "/leases"), 404);
        assertStatus(other.credentials(configId, null), 404);
        assertStatus(other.renew(leaseId, "PT1M"), 404);
        assertStatus(other.revoke(leaseId), 404);
        assertThat(expect(other.get(CONFIGS), 200).get("configs")).isEmpty();
        assertThat(other.stats().get("totalConfigs").asLong()).isZero();
        assertThat(other.stats().get("activeLeases").asLong()).isZero();
        for (String id : List.of("not-a-uuid", UUID.randomUUID().toString())) {
            assertStatus(api.get(CONFIGS + "/" + id + "/leases"), 404);
            assertStatus(api.credentials(id, null), 404);
            assertStatus(api.renew(id, null), 404);
            assertStatus(api.revoke(id), 404);
        }
        // still the owner's, and still active
        assertThat(api.lease(configId, leaseId).get("status").asString()).isEqualTo("active");
        JsonNode stats = api.stats();
        assertThat(stats.get("totalConfigs").asLong()).isEqualTo(1);
        assertThat(stats.get("byType").get("database").asLong()).isEqualTo(1);
        assertThat(stats.get("byType").get("cloud_credentials").asLong()).isZero();
        assertThat(stats.get("activeLeases").asLong()).isEqualTo(1);
        expect(api.revoke(leaseId), 200);
    }

    @Test
    void everyEndpointNeedsACallerWithItsScope() {
        String configId = selectConfig("PT1M", "PT1H");
        String leaseId = api.issue(configId, null).get("leaseId").asString();
        Map<String, Object> config = postgresConfig("scoped", server, admin, SELECT_ALL, "PT1M", "PT1H");
        DynamicApi nobody = DynamicApi.anonymous(port);
        assertStatus(nobody.post(CONFIGS, config), 401);
        assertStatus(nobody.get(CONFIGS), 401);
        assertStatus(nobody.credentials(configId, null), 401);
        assertStatus(nobody.get(CONFIGS + "/" + configId + "/leases"), 401);
        assertStatus(nobody.renew(leaseId, null), 401);
        assertStatus(nobody.revoke(leaseId), 401);
        assertStatus(nobody.get("/v1/dynamic-secrets/stats"), 401);

        DynamicApi reader = DynamicApi.forTenant(port, tenant, VaultScopes.READ);
        assertStatus(reader.post(CONFIGS, config), 403);
        assertStatus(reader.credentials(configId, null), 403);
        assertStatus(reader.renew(leaseId, null), 403);
        assertStatus(reader.revoke(leaseId), 403);
        expect(reader.get(CONFIGS), 200);
        expect(reader.get(CONFIGS + "/" + configId + "/leases"), 200);
        expect(reader.get("/v1/dynamic-secrets/stats"), 200);

        DynamicApi writer = DynamicApi.forTenant(port, tenant, VaultScopes.WRITE);
        assertStatus(writer.credentials(configId, null), 403);
        assertStatus(writer.get(CONFIGS), 403);
        assertStatus(writer.get("/v1/dynamic-secrets/stats"), 403);
        DynamicApi user = DynamicApi.forTenant(port, tenant, VaultScopes.USE);
        assertStatus(user.get(CONFIGS + "/" + configId + "/leases"), 403);
        assertStatus(user.revoke(leaseId), 403);
        expect(user.credentials(configId, null), 200);
        expect(writer.revoke(leaseId), 200);
    }

    @Test
    void eachLeaseCountsAgainstTheTenantsCredentialsQuota() {
        String configId = selectConfig("PT1M", "PT1H");
        DynamicApi limited = DynamicApi.bearing(port, TestTokens.forTenant(tenant).subject("limited")
                .scopes(DynamicApi.ALL_SCOPES).claim("quotas", Map.of("vault.dynamic_credentials", 2)).mint());
        // a refused request spends nothing
        assertFieldRefused(limited.credentials(configId, "PT2H"), "ttl");
        List<String> leaseIds = List.of(limited.issue(configId, null).get("leaseId").asString(),
                limited.issue(configId, null).get("leaseId").asString());

        ResponseEntity<JsonNode> refused = limited.credentials(configId, null);
        assertStatus(refused, 429);
        assertThat(api.leases(configId)).hasSize(2);
        assertThat(events(tenant, "vault.dynamic_secret_generate")).isEqualTo(2);
        leaseIds.forEach(leaseId -> expect(api.revoke(leaseId), 200));
    }

    private static void assertCheckFailed(ResponseEntity<JsonNode> response, String field, String reason) {
        assertStatus(response, 422);
        assertThat(response.getBody().get("details").get("field").asString()).isEqualTo(field);
        assertThat(response.getBody().get("details").get("reason").asString()).isEqualTo(reason);
        assertThat(response.getBody().get("message").asString()).contains(field);
    }

    /** Outbox events of the tenant naming the action or operation. */
    private int events(String tenantId, String name) {
        return jdbc.queryForObject("SELECT count(*) FROM qnsp_event_outbox WHERE payload::text LIKE ? "
                + "AND payload::text LIKE ?", Integer.class, "%\"" + name + "\"%", "%\"" + tenantId + "\"%");
    }

    private Instant validUntil(String role) throws SQLException {
        try (Connection db = server.asSuperuser(); var query = db.prepareStatement(
                "SELECT rolvaliduntil FROM pg_roles WHERE rolname = ?")) {
            query.setString(1, role);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                Timestamp until = row.getTimestamp(1);
                return until.toInstant();
            }
        }
    }

    static int count(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet row = s.executeQuery("SELECT count(*) FROM inventory")) {
            row.next();
            return row.getInt(1);
        }
    }

    static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> body) {
        Map<String, Object> copy = new LinkedHashMap<>();
        body.forEach((key, value) -> copy.put(key, value instanceof Map<?, ?> map
                ? deepCopy((Map<String, Object>) map) : value));
        return copy;
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = deepCopy(body);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> body, String key) {
        Map<String, Object> copy = deepCopy(body);
        copy.remove(key);
        return copy;
    }
}
