package io.qnsp.common.ids;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class UlidsTests {

    @Test
    void encodesTheTimeFirstSoIdsSortByCreation() {
        String earlier = Ulids.next("del_", Instant.parse("2026-01-15T10:30:00Z"));
        String later = Ulids.next("del_", Instant.parse("2026-01-15T10:30:00.001Z"));

        assertThat(earlier).matches(Ulids.format("del_"));
        assertThat(earlier.compareTo(later)).isNegative();
        // 2026-01-15T10:30:00Z = 1768473000000 ms, Crockford base32 in 10 characters
        assertThat(earlier.substring(4, 14)).isEqualTo(crockford(1768473000000L));
    }

    @Test
    void idsOfTheSameMillisecondDiffer() {
        Instant now = Instant.now();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(Ulids.next("x_", now));
        }
        assertThat(ids).hasSize(1000);
        assertThat(Ulids.format("x_").matcher("y_" + ids.iterator().next().substring(2)).matches()).isFalse();
    }

    private static String crockford(long value) {
        String alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            text.insert(0, alphabet.charAt((int) (value % 32)));
            value /= 32;
        }
        return text.toString();
    }
}
