package io.qnsp.vault.envelope;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.vault.FakeKms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Envelope encryption against a kms-service that speaks the real API: data keys are generated once per tenant and
 * reused, opened through kms-service when not in memory, bound to tenant and context, and a kms-service that
 * cannot be reached makes the vault answer DEPENDENCY_DOWN only when it really needs it.
 */
@SpringBootTest
@ActiveProfiles("test")
@EmbeddedInfrastructure
class EnvelopeIntegrationTests {

    @Autowired
    Envelopes envelopes;

    @Autowired
    KmsDataKeys kmsDataKeys;

    @Autowired
    EnvelopeSettings settings;

    @Autowired
    ValueFingerprints fingerprints;

    @Autowired
    JdbcTemplate jdbc;

    final FakeKms kms = FakeKms.instance();

    @AfterEach
    void kmsBack() {
        kms.up();
    }

    @Test
    void aValueSealedForATenantOpensForItAloneAndOnlyInItsContext() {
        String tenant = tenant();
        Envelopes.Sealed sealed = envelopes.seal(tenant, "secret/db-password/1", "s3cr3t-value");

        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t-value");
        assertThat(envelopes.openString(tenant, "secret/db-password/1", sealed)).isEqualTo("s3cr3t-value");
        assertThatThrownBy(() -> envelopes.open(tenant, "secret/db-password/2", sealed))
                .isInstanceOf(IllegalStateException.class);
        // another tenant cannot even have the data key opened: kms-service refuses the wrong encryption context
        assertThatThrownBy(() -> envelopes.open(tenant(), "secret/db-password/1", sealed))
                .isInstanceOf(DependencyDown.class);
    }

    @Test
    void aTenantsDataKeyIsGeneratedOnceAndReusedWhileItIsFresh() {
        String tenant = tenant();
        int before = kms.dataKeysGenerated();
        Envelopes.Sealed first = envelopes.seal(tenant, "a", "one");
        Envelopes.Sealed second = envelopes.seal(tenant, "b", "two");

        assertThat(kms.dataKeysGenerated() - before).isEqualTo(1);
        assertThat(second.wrappedKey()).isEqualTo(first.wrappedKey());
        assertThat(second.ciphertext()).isNotEqualTo(first.ciphertext());
        envelopes.seal(tenant(), "a", "one");
        assertThat(kms.dataKeysGenerated() - before).isEqualTo(2);
    }

    @Test
    void aDataKeyNoLongerInMemoryIsOpenedByKmsService() {
        String tenant = tenant();
        Envelopes.Sealed sealed = envelopes.seal(tenant, "ctx", "kept under a wrapped key");
        Envelopes forgetful = new Envelopes(kmsDataKeys, withDataKeyTtl(Duration.ZERO));
        int before = kms.dataKeysDecrypted();

        assertThat(forgetful.openString(tenant, "ctx", sealed)).isEqualTo("kept under a wrapped key");
        assertThat(kms.dataKeysDecrypted() - before).isEqualTo(1);
    }

    @Test
    void withKmsServiceDownATenantWithoutADataKeyInMemoryGetsDependencyDown() {
        String known = tenant();
        Envelopes.Sealed sealed = envelopes.seal(known, "ctx", "written while kms-service was up");
        kms.down();

        assertThatThrownBy(() -> envelopes.seal(tenant(), "ctx", "value"))
                .isInstanceOf(DependencyDown.class)
                .satisfies(e -> assertThat(((DependencyDown) e).status().value()).isEqualTo(503))
                .satisfies(e -> assertThat(((DependencyDown) e).code()).isEqualTo("dependency_down"));
        Envelopes forgetful = new Envelopes(kmsDataKeys, withDataKeyTtl(Duration.ZERO));
        assertThatThrownBy(() -> forgetful.open(known, "ctx", sealed)).isInstanceOf(DependencyDown.class);
        // what is in memory keeps working
        assertThat(envelopes.openString(known, "ctx", sealed)).isEqualTo("written while kms-service was up");
        assertThat(envelopes.openString(known, "ctx2", envelopes.seal(known, "ctx2", "more"))).isEqualTo("more");

        kms.up();
        assertThat(forgetful.openString(known, "ctx", sealed)).isEqualTo("written while kms-service was up");
    }

    @Test
    void theKmsKeyIsMadeOnceAndRemembered() {
        envelopes.seal(tenant(), "ctx", "value");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM vault_kms_key WHERE key_name = ?", Integer.class,
                settings.keyName())).isEqualTo(1);
    }

    @Test
    void fingerprintsAreEqualForEqualValuesOfATenantAndUnrelatedAcrossTenants() {
        String tenant = tenant();
        assertThat(fingerprints.of(tenant, "AKIAIOSFODNN7EXAMPLE")).isEqualTo(fingerprints.of(tenant,
                "AKIAIOSFODNN7EXAMPLE")).hasSize(32);
        assertThat(fingerprints.of(tenant, "AKIAIOSFODNN7EXAMPLE")).isNotEqualTo(fingerprints.of(tenant,
                "AKIAIOSFODNN7EXAMPLF"));
        assertThat(fingerprints.of(tenant, "AKIAIOSFODNN7EXAMPLE")).isNotEqualTo(fingerprints.of(tenant(),
                "AKIAIOSFODNN7EXAMPLE"));
    }

    private EnvelopeSettings withDataKeyTtl(Duration ttl) {
        return new EnvelopeSettings(settings.kmsUrl(), settings.tokenUri(), settings.clientId(),
                settings.clientSecret(), settings.keyName(), ttl, settings.connectTimeout(), settings.readTimeout(),
                settings.hashKey());
    }

    private static String tenant() {
        return "tenant-" + UUID.randomUUID();
    }
}
