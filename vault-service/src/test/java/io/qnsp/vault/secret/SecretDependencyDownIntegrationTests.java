package io.qnsp.vault.secret;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.kms.FakeKms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.UUID;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static io.qnsp.vault.secret.SecretsApi.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With kms-service unreachable and no data key in memory (kept for no time here), every write and read of a value
 * answers 503 DEPENDENCY_DOWN and leaves no row behind; what needs no value (history, state, comparison, audit,
 * statistics, retention) goes on. Once kms-service is back, numbering resumes without a gap.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "qnsp.kms-client.data-key-ttl=0s")
@ActiveProfiles("test")
@EmbeddedInfrastructure
class SecretDependencyDownIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    final FakeKms kms = FakeKms.instance();

    @AfterEach
    void kmsBack() {
        kms.up();
    }

    @Test
    void aFreshTenantsFirstWriteAnswersDependencyDownAndWritesNothing() {
        // the vault's own token is fetched (from the same fake) before kms-service goes away
        SecretsApi.of(port, "tenant-" + UUID.randomUUID(), "warm-up").created("warm-up", "warm-up-value");
        SecretsApi fresh = SecretsApi.of(port, "tenant-" + UUID.randomUUID(), "alice");
        List<Integer> before = rows();
        kms.down();
        try {
            assertDependencyDown(fresh.write("first", "a-value-never-stored"));
            assertDependencyDown(fresh.write("first", "a-value-never-stored"));
            assertThat(rows()).isEqualTo(before);
        } finally {
            kms.up();
        }
        assertError(fresh.history("first"), 404, "SECRET_NOT_FOUND");
        assertThat(fresh.created("first", "a-value-stored-now")).isEqualTo(1);
    }

    @Test
    void readsWritesAndRollbacksOfAKnownSecretAnswerDependencyDownAndWriteNothing() {
        String tenant = "tenant-" + UUID.randomUUID();
        SecretsApi alice = SecretsApi.of(port, tenant, "alice");
        alice.created("known", "value-one-111");
        alice.created("known", "value-two-222");
        List<Integer> before = rows();
        kms.down();
        try {
            assertDependencyDown(alice.version("known", 1));
            assertDependencyDown(alice.write("known", "value-three-333"));
            assertDependencyDown(alice.rollback("known", 1));
            assertThat(rows()).isEqualTo(before);
            assertThat(jdbc.queryForObject("SELECT latest_version FROM versioned_secret WHERE tenant_id = ? "
                    + "AND secret_id = 'known'", Integer.class, tenant)).isEqualTo(2);

            // what needs no value goes on
            expect(alice.history("known"), 200);
            expect(alice.compare("known", 1, 2), 200);
            expect(alice.stats(), 200);
            expect(alice.retention("known", body("maxVersions", 5)), 200);
            expect(alice.enforce("known"), 200);
            expect(alice.changeState("known", 1, "deprecated"), 200);
            assertThat(expect(alice.audit("known"), 200).get("events")).extracting(e -> e.get("action").asString())
                    .containsExactly("deprecated", "created", "created");
        } finally {
            kms.up();
        }
        assertThat(expect(alice.version("known", 1), 200).get("value").asString()).isEqualTo("value-one-111");
        assertThat(alice.created("known", "value-three-333")).isEqualTo(3);
        assertThat(expect(alice.rollback("known", 1), 200).get("newVersion").asInt()).isEqualTo(4);
    }

    private static void assertDependencyDown(ResponseEntity<JsonNode> response) {
        assertError(response, 503, "DEPENDENCY_DOWN");
        assertThat(response.getBody().get("details").get("dependency").asString()).isEqualTo("kms-service");
    }

    /** Rows of the secrets' tables, all tenants. */
    private List<Integer> rows() {
        return List.of(count("versioned_secret"), count("secret_version"), count("secret_audit_event"));
    }

    private int count(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table, Integer.class);
    }
}
