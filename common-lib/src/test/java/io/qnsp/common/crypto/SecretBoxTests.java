package io.qnsp.common.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTests {

    static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    static final String OTHER_KEY = Base64.getEncoder().encodeToString("k".repeat(32).getBytes(StandardCharsets.US_ASCII));

    private final SecretBox box = SecretBox.fromBase64Key(KEY, "test.key", "test-context-v1");

    @Test
    void sealedValuesRoundTripAndNeverRepeat() {
        byte[] first = box.seal("RAT-abcdefghijklmnopqrstuvwxyz012345");
        byte[] second = box.seal("RAT-abcdefghijklmnopqrstuvwxyz012345");
        assertThat(first).isNotEqualTo(second);
        assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("abcdefgh");
        assertThat(box.openString(first)).isEqualTo("RAT-abcdefghijklmnopqrstuvwxyz012345");
        assertThat(box.openString(second)).isEqualTo("RAT-abcdefghijklmnopqrstuvwxyz012345");
    }

    @Test
    void tamperingAnotherKeyOrAnotherContextIsDetected() {
        byte[] sealed = box.seal("secret");
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(tampered)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SecretBox.fromBase64Key(OTHER_KEY, "test.key", "test-context-v1").open(sealed))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SecretBox.fromBase64Key(KEY, "test.key", "other-context").open(sealed))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void weakMissingOrMalformedKeysAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> SecretBox.fromBase64Key(Base64.getEncoder().encodeToString(new byte[16]), "a.b", "c"))
                .hasMessageContaining("a.b").hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> SecretBox.fromBase64Key("", "a.b", "c")).hasMessageContaining("a.b");
        assertThatThrownBy(() -> SecretBox.fromBase64Key("not base64!", "a.b", "c")).hasMessageContaining("base64");
    }

    @Test
    void keyedHashIsStableKeyedAndRefusesShortSecrets() {
        KeyedHash hash = KeyedHash.fromBase64Secret(OTHER_KEY, "h");
        assertThat(hash.hash("value")).isEqualTo(hash.hash("value")).hasSize(32);
        assertThat(hash.hash("value")).isNotEqualTo(hash.hash("value2"));
        assertThat(KeyedHash.fromBase64Secret(Base64.getEncoder().encodeToString("j".repeat(32)
                .getBytes(StandardCharsets.US_ASCII)), "h").hash("value")).isNotEqualTo(hash.hash("value"));
        assertThatThrownBy(() -> KeyedHash.fromBase64Secret(Base64.getEncoder().encodeToString(new byte[8]), "h.s"))
                .hasMessageContaining("h.s");
    }
}
