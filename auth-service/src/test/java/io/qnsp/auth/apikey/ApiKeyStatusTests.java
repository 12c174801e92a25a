package io.qnsp.auth.apikey;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyStatusTests {

    private static final Instant NOW = Instant.parse("2025-01-15T10:30:00Z");

    @Test
    void aKeyIsExpiredFromItsExpiryOnUnlessRevoked() {
        assertThat(ApiKeyStatus.effective(ApiKeyStatus.ACTIVE, null, NOW)).isEqualTo(ApiKeyStatus.ACTIVE);
        assertThat(ApiKeyStatus.effective(ApiKeyStatus.ACTIVE, NOW.plusMillis(1), NOW)).isEqualTo(ApiKeyStatus.ACTIVE);
        assertThat(ApiKeyStatus.effective(ApiKeyStatus.ACTIVE, NOW, NOW)).isEqualTo(ApiKeyStatus.EXPIRED);
        assertThat(ApiKeyStatus.effective(ApiKeyStatus.DEPRECATED, NOW.plusSeconds(1), NOW))
                .isEqualTo(ApiKeyStatus.DEPRECATED);
        assertThat(ApiKeyStatus.effective(ApiKeyStatus.DEPRECATED, NOW.minusSeconds(1), NOW))
                .isEqualTo(ApiKeyStatus.EXPIRED);
        assertThat(ApiKeyStatus.effective(ApiKeyStatus.REVOKED, NOW.minusSeconds(1), NOW))
                .isEqualTo(ApiKeyStatus.REVOKED);
    }

    @Test
    void onlyActiveAndDeprecatedKeysVerify() {
        assertThat(ApiKeyStatus.ACTIVE.verifies()).isTrue();
        assertThat(ApiKeyStatus.DEPRECATED.verifies()).isTrue();
        assertThat(ApiKeyStatus.REVOKED.verifies()).isFalse();
        assertThat(ApiKeyStatus.EXPIRED.verifies()).isFalse();
    }
}
