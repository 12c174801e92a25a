package io.qnsp.vault.fingerprint;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Fingerprints compare values within a tenant and nothing across tenants. */
@SpringBootTest
@ActiveProfiles("test")
@EmbeddedInfrastructure
class ValueFingerprintsIntegrationTests {

    @Autowired
    ValueFingerprints fingerprints;

    @Autowired
    FingerprintSettings settings;

    @Test
    void fingerprintsAreEqualForEqualValuesOfATenantAndUnrelatedAcrossTenants() {
        String tenant = tenant();
        assertThat(fingerprints.of(tenant, "AKIAIOSFODNN7EXAMPLE")).isEqualTo(fingerprints.of(tenant,
                "AKIAIOSFODNN7EXAMPLE")).hasSize(32);
        assertThat(fingerprints.of(tenant, "AKIAIOSFODNN7EXAMPLE")).isNotEqualTo(fingerprints.of(tenant,
                "AKIAIOSFODNN7EXAMPLF"));
        assertThat(fingerprints.of(tenant, "AKIAIOSFODNN7EXAMPLE")).isNotEqualTo(fingerprints.of(tenant(),
                "AKIAIOSFODNN7EXAMPLE"));
        assertThat(settings.toString()).doesNotContain(settings.hashKey());
    }

    private static String tenant() {
        return "tenant-" + UUID.randomUUID();
    }
}
