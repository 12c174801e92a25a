package io.qnsp.common.crypto;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyedHashTests {

    // RFC 4231, test case 6: a 131-byte key of 0xaa
    private static final byte[] RFC_KEY = filled(131, (byte) 0xaa);
    private static final String RFC_DATA = "Test Using Larger Than Block-Size Key - Hash Key First";
    private static final String RFC_HMAC = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54";

    private final KeyedHash hash = KeyedHash.fromBase64Secret(Base64.getEncoder().encodeToString(RFC_KEY), "secret");

    @Test
    void isHmacSha256OfTheRfcVector() {
        assertThat(HexFormat.of().formatHex(hash.hash(RFC_DATA))).isEqualTo(RFC_HMAC);
        // and again: the keyed Mac is not used up by the first hash
        assertThat(HexFormat.of().formatHex(hash.hash(RFC_DATA))).isEqualTo(RFC_HMAC);
        assertThat(hash.hashBase64(RFC_DATA))
                .isEqualTo(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(RFC_HMAC)));
    }

    @Test
    void concurrentCallersEachGetTheirOwnValuesHash() throws Exception {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            values.add("qnsp_live_" + i);
        }
        List<byte[]> expected = values.stream().map(hash::hash).toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Boolean>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(pool.submit(() -> {
                    for (int round = 0; round < 50; round++) {
                        for (int i = 0; i < values.size(); i++) {
                            if (!Arrays.equals(hash.hash(values.get(i)), expected.get(i))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> run : runs) {
                assertThat(run.get()).isTrue();
            }
        }
    }

    @Test
    void aSecretShorterThan32BytesIsRefusedNamingTheSetting() {
        String shortSecret = Base64.getEncoder().encodeToString(new byte[31]);
        assertThatThrownBy(() -> KeyedHash.fromBase64Secret(shortSecret, "qnsp.some.secret"))
                .hasMessageContaining("qnsp.some.secret");
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
