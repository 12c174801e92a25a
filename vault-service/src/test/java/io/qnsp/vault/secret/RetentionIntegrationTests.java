package io.qnsp.vault.secret;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static io.qnsp.vault.secret.SecretsApi.assertError;
import static io.qnsp.vault.secret.VersionedSecretIntegrationTests.versions;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention policies with exact counts: out-of-policy versions (beyond the newest maxVersions, or written
 * deleteAfter ago or earlier, never the current one) are removed from the history, or destroyed with autoDestroy,
 * on demand and by the scheduled sweep, which skips secrets another transaction holds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class RetentionIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    RetentionSweeper sweeper;

    String tenant;
    SecretsApi alice;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        alice = SecretsApi.of(port, tenant, "alice");
    }

    @Test
    void thePolicyIsStoredAndAnsweredAsSet() {
        write("kept", 1);
        JsonNode set = expect(alice.retention("kept", body("maxVersions", 3, "deleteAfter", "P30D",
                "autoDestroy", true)), 200);
        assertThat(set.get("secretId").asString()).isEqualTo("kept");
        assertThat(set.get("retentionPolicy").get("maxVersions").asInt()).isEqualTo(3);
        assertThat(set.get("retentionPolicy").get("deleteAfter").asString()).isEqualTo("P30D");
        assertThat(set.get("retentionPolicy").get("autoDestroy").asBoolean()).isTrue();
        assertThat(set.get("updatedAt").asString()).isNotBlank();

        // a PUT replaces the whole policy: what is left out is no limit
        JsonNode cleared = expect(alice.retention("kept", body()), 200);
        assertThat(cleared.get("retentionPolicy").get("maxVersions").isNull()).isTrue();
        assertThat(cleared.get("retentionPolicy").get("deleteAfter").isNull()).isTrue();
        assertThat(cleared.get("retentionPolicy").get("autoDestroy").asBoolean()).isFalse();
        JsonNode nothingToDo = expect(alice.enforce("kept"), 200);
        assertThat(nothingToDo.get("versionsDeleted").asInt()).isZero();
        assertThat(nothingToDo.get("versionsRetained").asInt()).isEqualTo(1);
        assertError(alice.retention("never-written", body("maxVersions", 1)), 404, "SECRET_NOT_FOUND");
        assertError(alice.enforce("never-written"), 404, "SECRET_NOT_FOUND");
    }

    @Test
    void withoutAutoDestroyVersionsBeyondMaxVersionsLeaveTheHistory() {
        write("rotated", 5);
        expect(alice.changeState("rotated", 2, "destroyed"), 200);
        expect(alice.retention("rotated", body("maxVersions", 3)), 200);

        JsonNode enforced = expect(alice.enforce("rotated"), 200);
        assertThat(enforced.get("secretId").asString()).isEqualTo("rotated");
        assertThat(enforced.get("versionsDeleted").asInt()).isEqualTo(2);
        assertThat(enforced.get("versionsRetained").asInt()).isEqualTo(3);
        assertThat(versions(expect(alice.history("rotated"), 200), v -> v.get("version").asInt()))
                .containsExactly(5, 4, 3);
        assertError(alice.version("rotated", 1), 404, "VERSION_NOT_FOUND");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM secret_version WHERE tenant_id = ? "
                + "AND secret_id = 'rotated' AND version IN (1, 2)", Integer.class, tenant)).isZero();
        assertThat(retentionEvents("rotated")).containsExactly("destroyed 2 alice", "destroyed 1 alice");

        JsonNode again = expect(alice.enforce("rotated"), 200);
        assertThat(again.get("versionsDeleted").asInt()).isZero();
        assertThat(again.get("versionsRetained").asInt()).isEqualTo(3);

        // numbers are never reused; the next enforcement drops the next oldest
        assertThat(alice.created("rotated", "value-6")).isEqualTo(6);
        JsonNode next = expect(alice.enforce("rotated"), 200);
        assertThat(next.get("versionsDeleted").asInt()).isEqualTo(1);
        assertThat(next.get("versionsRetained").asInt()).isEqualTo(3);
        assertThat(versions(expect(alice.history("rotated"), 200), v -> v.get("version").asInt()))
                .containsExactly(6, 5, 4);
    }

    @Test
    void withAutoDestroyOutOfPolicyVersionsAreDestroyedAndKeptInTheHistory() {
        write("shredded", 5);
        expect(alice.changeState("shredded", 3, "deprecated"), 200);
        expect(alice.changeState("shredded", 1, "destroyed"), 200);
        expect(alice.retention("shredded", body("maxVersions", 2, "autoDestroy", true)), 200);

        JsonNode enforced = expect(alice.enforce("shredded"), 200);
        // versions 3 and 2 are destroyed now; version 1 already was and counts in neither
        assertThat(enforced.get("versionsDeleted").asInt()).isEqualTo(2);
        assertThat(enforced.get("versionsRetained").asInt()).isEqualTo(2);
        JsonNode history = expect(alice.history("shredded"), 200);
        assertThat(versions(history, v -> v.get("version").asInt())).containsExactly(5, 4, 3, 2, 1);
        assertThat(versions(history, v -> v.get("state").asString()))
                .containsExactly("active", "active", "destroyed", "destroyed", "destroyed");
        assertError(alice.version("shredded", 2), 410, "VERSION_DESTROYED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM secret_version WHERE tenant_id = ? "
                + "AND secret_id = 'shredded' AND ciphertext IS NULL AND wrapped_key IS NULL", Integer.class, tenant))
                .isEqualTo(3);
        assertThat(retentionEvents("shredded")).containsExactly("destroyed 3 alice", "destroyed 2 alice");

        JsonNode again = expect(alice.enforce("shredded"), 200);
        assertThat(again.get("versionsDeleted").asInt()).isZero();
        assertThat(again.get("versionsRetained").asInt()).isEqualTo(2);
    }

    @Test
    void versionsWrittenDeleteAfterAgoLeaveButNeverTheCurrentOne() {
        write("aged", 4);
        age("aged", 1, 10);
        age("aged", 2, 8);
        age("aged", 3, 6);
        age("aged", 4, 30);
        expect(alice.retention("aged", body("deleteAfter", "P7D")), 200);

        JsonNode enforced = expect(alice.enforce("aged"), 200);
        assertThat(enforced.get("versionsDeleted").asInt()).isEqualTo(2);
        assertThat(enforced.get("versionsRetained").asInt()).isEqualTo(2);
        assertThat(versions(expect(alice.history("aged"), 200), v -> v.get("version").asInt()))
                .containsExactly(4, 3);

        // both limits: either one puts a version out of the policy
        write("both", 5);
        age("both", 4, 3);
        expect(alice.retention("both", body("maxVersions", 3, "deleteAfter", "P2D", "autoDestroy", true)), 200);
        JsonNode both = expect(alice.enforce("both"), 200);
        assertThat(both.get("versionsDeleted").asInt()).isEqualTo(3);
        assertThat(both.get("versionsRetained").asInt()).isEqualTo(2);
        assertThat(versions(expect(alice.history("both"), 200), v -> v.get("state").asString()))
                .containsExactly("active", "destroyed", "active", "destroyed", "destroyed");
    }

    @Test
    void theSweepEnforcesDuePoliciesAndRestsThemForTheInterval() {
        write("swept-a", 4);
        expect(alice.retention("swept-a", body("maxVersions", 1)), 200);
        write("swept-b", 3);
        age("swept-b", 1, 2);
        expect(alice.retention("swept-b", body("deleteAfter", "P1D", "autoDestroy", true)), 200);
        write("no-policy", 3);

        RetentionSweeper.Sweep sweep = sweeper.sweep();
        assertThat(sweep.secrets()).isGreaterThanOrEqualTo(2);
        assertThat(sweep.versionsDeleted()).isGreaterThanOrEqualTo(4);
        assertThat(versions(expect(alice.history("swept-a"), 200), v -> v.get("version").asInt()))
                .containsExactly(4);
        assertThat(versions(expect(alice.history("swept-b"), 200), v -> v.get("state").asString()))
                .containsExactly("active", "active", "destroyed");
        assertThat(versions(expect(alice.history("no-policy"), 200), v -> v.get("version").asInt()))
                .containsExactly(3, 2, 1);
        assertThat(retentionEvents("swept-a")).containsExactly("destroyed 3 system:retention",
                "destroyed 2 system:retention", "destroyed 1 system:retention");
        assertThat(retentionEvents("swept-b")).containsExactly("destroyed 1 system:retention");

        // swept within the interval: the next sweep leaves it alone
        assertThat(alice.created("swept-a", "value-5")).isEqualTo(5);
        sweeper.sweep();
        assertThat(versions(expect(alice.history("swept-a"), 200), v -> v.get("version").asInt()))
                .containsExactly(5, 4);
        // a new policy is due at once
        expect(alice.retention("swept-a", body("maxVersions", 1)), 200);
        sweeper.sweep();
        assertThat(versions(expect(alice.history("swept-a"), 200), v -> v.get("version").asInt()))
                .containsExactly(5);
    }

    @Test
    void theSweepSkipsASecretAnotherTransactionHolds() throws Exception {
        write("held", 3);
        expect(alice.retention("held", body("maxVersions", 1)), 200);
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("SELECT 1 FROM versioned_secret "
                    + "WHERE tenant_id = ? AND secret_id = 'held' FOR UPDATE")) {
                lock.setString(1, tenant);
                lock.executeQuery().close();
            }
            sweeper.sweep();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM secret_version WHERE tenant_id = ? "
                    + "AND secret_id = 'held'", Integer.class, tenant)).isEqualTo(3);
            other.rollback();
        }
        sweeper.sweep();
        assertThat(versions(expect(alice.history("held"), 200), v -> v.get("version").asInt()))
                .containsExactly(3);
    }

    private void write(String secretId, int versions) {
        for (int i = 1; i <= versions; i++) {
            assertThat(alice.created(secretId, secretId + "-value-" + i)).isEqualTo(i);
        }
    }

    /** Moves a version's creation back by {@code days}. */
    private void age(String secretId, int version, int days) {
        assertThat(jdbc.update("UPDATE secret_version SET created_at = created_at - make_interval(days => ?) "
                + "WHERE tenant_id = ? AND secret_id = ? AND version = ?", days, tenant, secretId, version))
                .isEqualTo(1);
    }

    /** The retention's events of the secret's audit log in the order they were written. */
    private List<String> retentionEvents(String secretId) {
        List<String> events = new ArrayList<>();
        jdbc.query("SELECT action, version, actor FROM secret_audit_event WHERE tenant_id = ? AND secret_id = ? "
                        + "AND reason LIKE 'retention policy:%' ORDER BY event_seq",
                rs -> {
                    events.add(rs.getString("action") + " " + rs.getInt("version") + " " + rs.getString("actor"));
                }, tenant, secretId);
        return events;
    }
}
