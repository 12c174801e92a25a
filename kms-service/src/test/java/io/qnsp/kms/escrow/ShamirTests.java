package io.qnsp.kms.escrow;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shamir's scheme over random secrets and random (n, threshold) with 1 ≤ t ≤ n ≤ 10. */
class ShamirTests {

    private static final SecureRandom RANDOM = new SecureRandom();

    @RepeatedTest(200)
    void anyThresholdSharesReconstructTheSecretAndOneFewerDoNot() {
        // at least 16 bytes, so that fewer shares matching the secret by chance is a 2^-128 event
        byte[] secret = new byte[16 + RANDOM.nextInt(100)];
        RANDOM.nextBytes(secret);
        int n = 1 + RANDOM.nextInt(10);
        int t = 1 + RANDOM.nextInt(n);
        byte[][] shares = Shamir.split(secret, n, t, RANDOM);
        assertThat(shares.length).isEqualTo(n);

        for (int attempt = 0; attempt < 5; attempt++) {
            List<byte[]> shuffled = new ArrayList<>(List.of(shares));
            Collections.shuffle(shuffled, RANDOM);
            assertThat(Shamir.combine(shuffled.subList(0, t))).as("n=%d t=%d", n, t).isEqualTo(secret);
            assertThat(Shamir.combine(shuffled.subList(0, t + RANDOM.nextInt(n - t + 1)))).isEqualTo(secret);
            if (t > 1) {
                assertThat(Shamir.combine(shuffled.subList(0, t - 1))).as("n=%d t=%d", n, t).isNotEqualTo(secret);
            }
        }
        if (t > 1) {
            // no share but with t = 1 holds the secret as it is
            for (byte[] share : shares) {
                assertThat(java.util.Arrays.copyOfRange(share, 1, share.length)).isNotEqualTo(secret);
            }
        }
    }

    @RepeatedTest(50)
    void aChangedShareGivesAnotherSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        int n = 2 + RANDOM.nextInt(9);
        int t = 1 + RANDOM.nextInt(n);
        byte[][] shares = Shamir.split(secret, n, t, RANDOM);
        byte[] tampered = shares[0].clone();
        tampered[1 + RANDOM.nextInt(32)] ^= (byte) (1 << RANDOM.nextInt(8));
        List<byte[]> used = new ArrayList<>(List.of(shares).subList(1, t));
        used.add(tampered);
        assertThat(Shamir.combine(used)).isNotEqualTo(secret);
    }

    @Test
    void theFieldArithmeticIsTheAesField() {
        // FIPS 197's worked example: {57} x {83} = {c1}
        assertThat(Shamir.multiply(0x57, 0x83)).isEqualTo(0xc1);
        for (int a = 1; a < 256; a++) {
            assertThat(Shamir.multiply(a, Shamir.divide(1, a))).isEqualTo(1);
        }
    }

    @Test
    void badParametersAndRepeatedSharesAreRefused() {
        assertThatThrownBy(() -> Shamir.split(new byte[4], 3, 4, RANDOM)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Shamir.split(new byte[4], 3, 0, RANDOM)).isInstanceOf(IllegalArgumentException.class);
        byte[][] shares = Shamir.split(new byte[4], 3, 2, RANDOM);
        assertThatThrownBy(() -> Shamir.combine(List.of(shares[0], shares[0])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Shamir.combine(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
