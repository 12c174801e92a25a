package io.qnsp.cryptoinventory.deprecation;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class DeprecationPolicyTests {

    @Test
    void anEntryCoversItsAlgorithmAndAsAFamilyEverySizeOfIt() {
        DeprecationPolicy policy = new DeprecationPolicy(UUID.randomUUID(), "t", "p", List.of("RSA", "EC-P256"),
                Instant.EPOCH, Instant.EPOCH, null, List.of(), Instant.EPOCH);
        assertThat(policy.covering("RSA-2048")).isEqualTo("RSA");
        assertThat(policy.covering("rsa-3072")).isEqualTo("RSA");
        assertThat(policy.covering("EC-P256")).isEqualTo("EC-P256");
        assertThat(policy.covering("EC-P384")).isNull();
        assertThat(policy.covering("RSASSA")).isNull();
        assertThat(policy.covering(null)).isNull();
    }
}
