package io.qnsp.vault.dynamic;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.infra.TestPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import static io.qnsp.vault.dynamic.DynamicApi.SELECT_ALL;
import static io.qnsp.vault.dynamic.DynamicApi.assertStatus;
import static io.qnsp.vault.dynamic.DynamicApi.postgresConfig;
import static io.qnsp.vault.dynamic.DynamicSecretsIntegrationTests.count;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Revocation without revoke storms: a lease is claimed by one worker at a time, so a revoke request and the sweepers
 * of several instances never drop one account twice; a failed revocation is recorded and retried with a doubling
 * pause, and nothing is retried before its time.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class LeaseRevocationIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    LeaseRevocation revocation;

    @Autowired
    Leases leases;

    @Autowired
    DynamicSecretConfigs configs;

    @Autowired
    Backends backends;

    @Autowired
    DynamicSecretSettings settings;

    TestBackends.PostgresServer server;
    String tenant;
    DynamicApi api;
    String configId;

    @BeforeEach
    void setUp() {
        server = TestBackends.postgres();
        tenant = "tenant-" + UUID.randomUUID();
        api = DynamicApi.forTenant(port, tenant, DynamicApi.ALL_SCOPES);
        configId = api.createConfig(postgresConfig("sweep-" + TestBackends.random(6), server, server.admin(),
                SELECT_ALL, "PT10M", "PT1H"));
    }

    @Test
    void aLeaseTheSweeperHoldsIsNotRevokedByARequestToo() throws SQLException {
        JsonNode issued = api.issue(configId, "PT2S");
        UUID leaseId = UUID.fromString(issued.get("leaseId").asString());
        String username = issued.get("credentials").get("username").asString();
        awaitPast(issued);

        // a sweeper of some instance claims the lease and has not dropped the account yet
        UUID token = UUID.randomUUID();
        Instant now = Instant.now();
        Lease claimed = leases.claimDue(token, now, now.plus(settings.claimTimeout()), 10_000).stream()
                .filter(lease -> lease.leaseId().equals(leaseId)).findFirst().orElseThrow();

        ResponseEntity<JsonNode> refused = api.revoke(leaseId.toString());
        assertStatus(refused, 409);
        assertThat(refused.getBody().get("error").asString()).isEqualTo("LEASE_REVOCATION_IN_PROGRESS");
        assertThat(server.roleExists(username)).isTrue();
        assertThat(api.lease(configId, leaseId.toString()).get("revocation").get("pending").asBoolean()).isTrue();
        assertThat(revocation.sweep()).as("a held lease is no other sweeper's").isZero();

        LeaseRevocation.Attempt attempt = revocation.attempt(new LeaseRevocation.Claimed(claimed, token),
                backends.open(configs.find(claimed.configId()).orElseThrow()), true);
        assertThat(attempt.succeeded()).isTrue();
        assertThat(server.roleExists(username)).isFalse();
        JsonNode revoked = expect(api.revoke(leaseId.toString()), 200);
        assertThat(revoked.get("status").asString()).isEqualTo("expired");
        assertThat(api.lease(configId, leaseId.toString()).get("revocation").get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void revokeRequestsAndSweepersRacingDropEachAccountOnce(CapturedOutput output) throws Exception {
        List<JsonNode> issued = new ArrayList<>();
        List<Connection> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JsonNode lease = api.issue(configId, "PT2S");
            issued.add(lease);
            sessions.add(server.login(lease.get("credentials").get("username").asString(),
                    lease.get("credentials").get("password").asString()));
        }
        try {
            awaitPast(issued.getLast());
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Object>> racers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                racers.add(() -> {
                    start.await();
                    return revocation.sweep();
                });
            }
            for (JsonNode lease : issued) {
                for (int i = 0; i < 2; i++) {
                    racers.add(() -> {
                        start.await();
                        return api.revoke(lease.get("leaseId").asString());
                    });
                }
            }
            List<Future<Object>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(racers.size())) {
                for (Callable<Object> racer : racers) {
                    results.add(pool.submit(racer));
                }
                start.countDown();
                for (Future<Object> result : results) {
                    Object outcome = result.get();
                    if (outcome instanceof ResponseEntity<?> response) {
                        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isIn(200, 409);
                    }
                }
            }

            for (int i = 0; i < issued.size(); i++) {
                JsonNode lease = issued.get(i);
                String leaseId = lease.get("leaseId").asString();
                String username = lease.get("credentials").get("username").asString();
                assertThat(server.roleExists(username)).isFalse();
                Connection session = sessions.get(i);
                assertThatThrownBy(() -> count(session)).isInstanceOf(SQLException.class);
                JsonNode listed = api.lease(configId, leaseId);
                assertThat(listed.get("status").asString()).isIn("revoked", "expired");
                assertThat(listed.get("revocation").get("attempts").asInt()).isEqualTo(1);
                assertThat(Pattern.compile("Lease " + leaseId + " of tenant \\S+: account " + username + " dropped")
                        .matcher(output.getAll()).results().count()).as("drops of lease %s", leaseId).isEqualTo(1);
            }
        } finally {
            for (Connection session : sessions) {
                session.close();
            }
        }
    }

    @Test
    void aFailedRevocationIsRecordedAndRetriedWithADoublingPause() throws SQLException {
        JsonNode issued = api.issue(configId, "PT2S");
        String leaseId = issued.get("leaseId").asString();
        String username = issued.get("credentials").get("username").asString();
        // a privilege in another database: DROP ROLE fails there until it is gone
        String elsewhere = TestPostgres.shared().createDatabase("qv_elsewhere");
        try (Connection db = server.asSuperuser(elsewhere); Statement s = db.createStatement()) {
            s.execute("CREATE TABLE kept (id INT)");
            s.execute("GRANT SELECT ON kept TO \"" + username + "\"");
        }
        awaitPast(issued);

        revocation.sweep();
        JsonNode first = api.lease(configId, leaseId);
        assertThat(first.get("status").asString()).isEqualTo("expired");
        assertThat(first.get("revokedAt").isNull()).isTrue();
        JsonNode failure = first.get("revocation");
        assertThat(failure.get("pending").asBoolean()).isTrue();
        assertThat(failure.get("attempts").asInt()).isEqualTo(1);
        assertThat(failure.get("lastError").asString()).contains("SQLSTATE 2BP01").doesNotContain(username);
        Instant firstRetry = Instant.parse(failure.get("nextAttemptAt").asString());
        assertThat(server.roleExists(username)).isTrue();

        // not before its time
        revocation.sweep(firstRetry.minusMillis(1));
        assertThat(api.lease(configId, leaseId).get("revocation").get("attempts").asInt()).isEqualTo(1);

        revocation.sweep(firstRetry);
        JsonNode second = api.lease(configId, leaseId).get("revocation");
        assertThat(second.get("attempts").asInt()).isEqualTo(2);
        Instant secondRetry = Instant.parse(second.get("nextAttemptAt").asString());
        // the pause doubled: 1s after the first failure, 2s after the second, which came no earlier than firstRetry - 1s
        assertThat(secondRetry).isAfterOrEqualTo(firstRetry.plus(settings.retryBackoff()));

        try (Connection db = server.asSuperuser(elsewhere); Statement s = db.createStatement()) {
            s.execute("REVOKE ALL ON kept FROM \"" + username + "\"");
        }
        revocation.sweep(secondRetry);
        JsonNode done = api.lease(configId, leaseId);
        assertThat(done.get("status").asString()).isEqualTo("expired");
        assertThat(done.get("revokedAt").isNull()).isFalse();
        assertThat(done.get("revocation").get("pending").asBoolean()).isFalse();
        assertThat(done.get("revocation").get("attempts").asInt()).isEqualTo(3);
        assertThat(done.get("revocation").get("lastError").isNull()).isTrue();
        assertThat(server.roleExists(username)).isFalse();
    }

    @Test
    void aRevokeRequestTheBackendRefusesIsLeftToTheSweeper() throws SQLException {
        JsonNode issued = api.issue(configId, "PT10M");
        String leaseId = issued.get("leaseId").asString();
        String username = issued.get("credentials").get("username").asString();
        String elsewhere = TestPostgres.shared().createDatabase("qv_elsewhere");
        try (Connection db = server.asSuperuser(elsewhere); Statement s = db.createStatement()) {
            s.execute("CREATE TABLE kept (id INT)");
            s.execute("GRANT SELECT ON kept TO \"" + username + "\"");
        }

        ResponseEntity<JsonNode> refused = api.revoke(leaseId);
        assertStatus(refused, 422);
        assertThat(refused.getBody().get("error").asString()).isNotBlank();
        assertThat(refused.getBody().get("details").get("sqlState").asString()).isEqualTo("2BP01");
        JsonNode pending = api.lease(configId, leaseId);
        // the account still exists, so the lease is still active, with its revocation pending
        assertThat(pending.get("status").asString()).isEqualTo("active");
        assertThat(pending.get("renewable").asBoolean()).isFalse();
        assertThat(pending.get("revocation").get("reason").asString()).isEqualTo("manual");
        assertThat(pending.get("revocation").get("pending").asBoolean()).isTrue();
        assertStatus(api.renew(leaseId, "PT1M"), 409);

        try (Connection db = server.asSuperuser(elsewhere); Statement s = db.createStatement()) {
            s.execute("REVOKE ALL ON kept FROM \"" + username + "\"");
        }
        revocation.sweep(Instant.parse(pending.get("revocation").get("nextAttemptAt").asString()));
        JsonNode revoked = api.lease(configId, leaseId);
        assertThat(revoked.get("status").asString()).isEqualTo("revoked");
        assertThat(server.roleExists(username)).isFalse();
    }

    @Test
    void theRetryPauseDoublesUpToItsCeiling() {
        assertThat(settings.backoffAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.backoffAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.backoffAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.backoffAfter(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.backoffAfter(1000)).isEqualTo(Duration.ofSeconds(4));
    }

    private static void awaitPast(JsonNode issued) {
        Instant expiresAt = Instant.parse(issued.get("expiresAt").asString());
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(expiresAt));
    }
}
