package io.qnsp.ratelimit.apikey;

import io.qnsp.ratelimit.RateLimitSettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyCipherTests {

    static final String ENCRYPTION_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    static final String HASH_SECRET = Base64.getEncoder().encodeToString("h".repeat(32).getBytes(StandardCharsets.US_ASCII));

    static RateLimitSettings settings(String encryptionKey, String hashSecret) {
        return new RateLimitSettings(encryptionKey, hashSecret, new RateLimitSettings.DefaultLimits(10, 50),
                Duration.ofSeconds(5), Duration.ofDays(93), Duration.ofHours(24), Duration.ofSeconds(10));
    }

    private final ApiKeyCipher cipher = new ApiKeyCipher(settings(ENCRYPTION_KEY, HASH_SECRET));

    @Test
    void encryptionRoundTripsAndNeverRepeatsCiphertext() {
        String key = "RAT-abcdefghijklmnopqrstuvwxyz012345";
        byte[] first = cipher.encrypt(key);
        byte[] second = cipher.encrypt(key);
        assertThat(first).isNotEqualTo(second);
        assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("abcdefgh");
        assertThat(cipher.decrypt(first)).isEqualTo(key);
        assertThat(cipher.decrypt(second)).isEqualTo(key);
    }

    @Test
    void weakOrMalformedSecretsStopTheServiceFromStarting() {
        assertThatThrownBy(() -> new ApiKeyCipher(settings(Base64.getEncoder().encodeToString(new byte[16]), HASH_SECRET)))
                .hasMessageContaining("key-encryption-key");
        assertThatThrownBy(() -> new ApiKeyCipher(settings(ENCRYPTION_KEY, Base64.getEncoder().encodeToString(new byte[8]))))
                .hasMessageContaining("key-hash-secret");
        assertThatThrownBy(() -> new ApiKeyCipher(settings("not base64!", HASH_SECRET)))
                .hasMessageContaining("base64");
    }
}
