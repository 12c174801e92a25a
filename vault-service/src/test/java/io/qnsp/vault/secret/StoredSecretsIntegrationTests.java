package io.qnsp.vault.secret;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.kms.DependencyDown;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.kms.FakeKms;
import io.qnsp.vault.fingerprint.ValueFingerprints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link StoredSecrets} contract leak detection relies on, called directly: versions found by fingerprint
 * within one tenant (destroyed ones too), rotation as the next version and retirement, each in the secret's audit
 * log under the actor given.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class StoredSecretsIntegrationTests {

    @Autowired
    StoredSecrets stored;

    @Autowired
    SecretManagement management;

    @Autowired
    ValueFingerprints fingerprints;

    @Autowired
    JdbcTemplate jdbc;

    String tenant;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
    }

    @AfterEach
    void kmsBack() {
        FakeKms.instance().up();
    }

    @Test
    void theStoreIsTheSecretManagement() {
        assertThat(stored).isSameAs(management);
    }

    @Test
    void versionsAreFoundByFingerprintWithinTheTenantNewestFirstPerSecret() {
        write("a-token", "leaked-value-0001");
        write("b-token", "unrelated-value");
        write("b-token", "leaked-value-0001");
        write("c-token", "leaked-value-0001");
        write("c-token", "rotated-away");
        stored.retire(tenant, "c-token", 1, "destroyed", "rotated after a leak", "operator");
        write("d-token", "second-leak-0002");
        management.create("tenant-" + UUID.randomUUID(), "someone", "a-token", "leaked-value-0001", null);

        List<StoredSecrets.VersionMatch> matches = stored.findByFingerprints(tenant,
                List.of(fingerprints.of(tenant, "leaked-value-0001")));
        assertThat(matches).extracting(m -> m.secretId() + " v" + m.version() + " " + m.state() + " "
                + (m.current() ? "current" : "old"))
                .containsExactly("a-token v1 active current", "b-token v2 active current",
                        "c-token v1 destroyed old");
        assertThat(matches.getFirst().fingerprint()).isEqualTo(fingerprints.of(tenant, "leaked-value-0001"));

        write("b-token", "leaked-value-0001");
        assertThat(stored.findByFingerprints(tenant, List.of(fingerprints.of(tenant, "leaked-value-0001"),
                fingerprints.of(tenant, "second-leak-0002"))))
                .extracting(m -> m.secretId() + " v" + m.version() + " " + m.current())
                .containsExactly("a-token v1 true", "b-token v3 true", "b-token v2 false", "c-token v1 false",
                        "d-token v1 true");
        assertThat(stored.findByFingerprints(tenant, List.of())).isEmpty();
        assertThat(stored.findByFingerprints(tenant, List.of(fingerprints.of(tenant, "never-stored")))).isEmpty();
    }

    @Test
    void existsOnlyWithinTheTenant() {
        write("present", "value-1");
        assertThat(stored.exists(tenant, "present")).isTrue();
        assertThat(stored.exists(tenant, "absent")).isFalse();
        assertThat(stored.exists("tenant-" + UUID.randomUUID(), "present")).isFalse();
        assertThat(stored.exists(tenant, "not/an id")).isFalse();
    }

    @Test
    void rotationWritesTheNextVersionUnderTheActorGiven() {
        write("leaky", "the-leaked-one");
        int rotated = stored.rotate(tenant, "leaky", "the-fresh-one", "leaked on a paste site", "leak-detection");
        assertThat(rotated).isEqualTo(2);
        SecretManagement.Revealed read = management.read(tenant, "reader", "leaky", "2");
        assertThat(read.value()).isEqualTo("the-fresh-one");
        assertThat(read.version().createdBy()).isEqualTo("leak-detection");
        assertThat(read.version().metadata()).isEqualTo(Map.of("reason", "leaked on a paste site"));
        assertThat(management.auditLog(tenant, "leaky")).extracting(e -> e.action() + " " + e.version() + " "
                + e.actor()).containsExactly("read 2 reader", "created 2 leak-detection", "created 1 writer");
        assertThatThrownBy(() -> stored.rotate(tenant, "leaky", "", "empty", "leak-detection"))
                .isInstanceOf(InvalidField.class);
    }

    @Test
    void retirementDeprecatesOrDestroysUnderTheActorGiven() {
        write("retired", "old-value");
        write("retired", "new-value");
        stored.retire(tenant, "retired", 1, "deprecated", null, "leak-detection");
        assertThat(management.read(tenant, "reader", "retired", "1").version().state())
                .isEqualTo(VersionState.DEPRECATED);
        stored.retire(tenant, "retired", 1, "destroyed", "leaked", "leak-detection");
        assertThat(jdbc.queryForObject("SELECT ciphertext IS NULL FROM secret_version WHERE tenant_id = ? "
                + "AND secret_id = 'retired' AND version = 1", Boolean.class, tenant)).isTrue();
        assertThatThrownBy(() -> management.read(tenant, "reader", "retired", "1"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(410));
        assertThatThrownBy(() -> stored.retire(tenant, "retired", 1, "deprecated", null, "leak-detection"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(409));
        assertThatThrownBy(() -> stored.retire(tenant, "retired", 2, "gone", null, "leak-detection"))
                .isInstanceOf(InvalidField.class);
        assertThatThrownBy(() -> stored.retire(tenant, "retired", 3, "destroyed", null, "leak-detection"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(404));
        assertThat(management.auditLog(tenant, "retired")).extracting(e -> e.action() + " " + e.version() + " "
                + e.actor()).containsExactly("destroyed 1 leak-detection", "read 1 reader",
                "deprecated 1 leak-detection", "created 2 writer", "created 1 writer");
    }

    @Test
    void aRotationThatCannotReachKmsServiceWritesNothing() {
        String fresh = "tenant-" + UUID.randomUUID();
        FakeKms.instance().down();
        try {
            assertThatThrownBy(() -> stored.rotate(fresh, "unreachable", "some-new-value", "leak", "leak-detection"))
                    .isInstanceOf(DependencyDown.class);
        } finally {
            FakeKms.instance().up();
        }
        assertThat(stored.exists(fresh, "unreachable")).isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM secret_audit_event WHERE tenant_id = ?", Integer.class,
                fresh)).isZero();
        assertThat(stored.rotate(fresh, "unreachable", "some-new-value", "leak", "leak-detection")).isEqualTo(1);
    }

    private void write(String secretId, String value) {
        management.create(tenant, "writer", secretId, value, null);
    }
}
