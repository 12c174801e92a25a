package io.qnsp.vault.dynamic;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.vault.dynamic.DynamicApi.CONFIGS;
import static io.qnsp.vault.dynamic.DynamicApi.assertStatus;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dynamic MySQL/MariaDB credentials, against the server {@link TestBackends#mysql()} finds (skipped without one):
 * accounts that log in and may do what the role template grants and nothing more, dropped with their sessions on
 * revocation and, by the sweeper, after expiry.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class MysqlDynamicSecretsIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    LeaseRevocation revocation;

    TestBackends.MysqlServer server;
    TestBackends.Admin admin;
    DynamicApi api;

    @BeforeEach
    void setUp() {
        server = TestBackends.mysql();
        Assumptions.assumeTrue(server != null, () -> "MySQL tests skipped: " + TestBackends.mysqlMissing());
        admin = server.admin();
        api = DynamicApi.forTenant(port, "tenant-" + UUID.randomUUID(), DynamicApi.ALL_SCOPES);
    }

    Map<String, Object> config(String name, TestBackends.Admin account, String scheme) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("type", "database");
        body.put("backend", Map.of("type", "mysql", "connectionString", scheme + server.host() + ":" + server.port()
                + "/" + server.database(), "credentials", Map.of("username", account.user(),
                "password", account.password())));
        body.put("template", Map.of("usernameTemplate", "qv_{{random}}",
                "roleTemplate", "GRANT SELECT ON " + server.database() + ".inventory TO {{username}}"));
        body.put("ttl", Map.of("default", "PT10M", "max", "PT1H"));
        return body;
    }

    @Test
    void credentialsLogInMayOnlySelectAndAreDroppedWithTheirSessionsOnRevocation() throws SQLException {
        String configId = api.createConfig(config("orders", admin, "jdbc:mysql://"));
        JsonNode issued = api.issue(configId, null);
        String username = issued.get("credentials").get("username").asString();
        String password = issued.get("credentials").get("password").asString();
        assertThat(username).matches("qv_[a-z0-9]{10}");

        Connection open = server.login(username, password);
        try {
            assertThat(count(open)).isEqualTo(2);
            try (Statement s = open.createStatement()) {
                assertThatThrownBy(() -> s.execute("INSERT INTO inventory VALUES (99, 'stolen')"))
                        .isInstanceOf(SQLException.class);
            }
            assertThatThrownBy(() -> server.login(username, password + "x").close()).isInstanceOf(SQLException.class);

            JsonNode revoked = expect(api.revoke(issued.get("leaseId").asString()), 200);
            assertThat(revoked.get("status").asString()).isEqualTo("revoked");
            assertThatThrownBy(() -> count(open)).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> server.login(username, password).close()).isInstanceOf(SQLException.class);
            assertThat(server.accountExists(username)).isFalse();
        } finally {
            open.close();
        }
    }

    @Test
    void theSweeperDropsAnExpiredAccountAndEndsItsSession() throws SQLException {
        String configId = api.createConfig(config("sweep", admin, "jdbc:mariadb://"));
        JsonNode issued = api.issue(configId, "PT2S");
        String leaseId = issued.get("leaseId").asString();
        String username = issued.get("credentials").get("username").asString();
        Instant expiresAt = Instant.parse(issued.get("expiresAt").asString());
        Connection open = server.login(username, issued.get("credentials").get("password").asString());
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Instant.now().isAfter(expiresAt));
            assertThat(api.lease(configId, leaseId).get("status").asString()).isEqualTo("expired");
            revocation.sweep();
            assertThatThrownBy(() -> count(open)).isInstanceOf(SQLException.class);
            assertThat(server.accountExists(username)).isFalse();
            assertThat(api.lease(configId, leaseId).get("revocation").get("pending").asBoolean()).isFalse();
        } finally {
            open.close();
        }
    }

    @Test
    void theBackendIsCheckedAtCreation() {
        ResponseEntity<JsonNode> wrong = api.post(CONFIGS, config("wrong", new TestBackends.Admin(admin.user(),
                TestBackends.password()), "jdbc:mysql://"));
        assertStatus(wrong, 422);
        assertThat(wrong.getBody().get("details").get("field").asString()).isEqualTo("backend.credentials");
        Map<String, Object> longName = config("long", admin, "jdbc:mysql://");
        longName.put("template", Map.of("usernameTemplate", "qv_{{random}}_{{random}}_{{unix_time}}",
                "roleTemplate", "GRANT SELECT ON " + server.database() + ".inventory TO {{username}}"));
        DynamicApi.assertFieldRefused(api.post(CONFIGS, longName), "template.usernameTemplate");
        Map<String, Object> local = config("local-infile", admin, "jdbc:mysql://");
        ((Map<String, Object>) local).put("backend", Map.of("type", "mysql", "connectionString",
                "jdbc:mysql://" + server.host() + "/" + server.database() + "?allowLocalInfile=true",
                "credentials", Map.of("username", admin.user(), "password", admin.password())));
        DynamicApi.assertFieldRefused(api.post(CONFIGS, local), "backend.connectionString");
    }

    private static int count(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet row = s.executeQuery("SELECT count(*) FROM inventory")) {
            row.next();
            return row.getInt(1);
        }
    }
}
