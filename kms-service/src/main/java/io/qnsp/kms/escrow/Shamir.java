package io.qnsp.kms.escrow;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shamir's secret sharing over GF(256) (the AES field, x^8 + x^4 + x^3 + x + 1), byte by byte: each byte of the
 * secret is the constant term of a random polynomial of degree threshold − 1, evaluated at x = 1..n. A share is
 * {@code x || y_1 .. y_len}; any threshold of them give the secret back by Lagrange interpolation at 0.
 */
final class Shamir {

    static final int MAX_SHARES = 255;

    private static final int[] EXP = new int[512];
    private static final int[] LOG = new int[256];

    static {
        int value = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = value;
            LOG[value] = i;
            // multiply by the generator 3: value * 2 xor value, reduced
            int doubled = value << 1;
            if ((doubled & 0x100) != 0) {
                doubled ^= 0x11b;
            }
            value = doubled ^ value;
        }
        for (int i = 255; i < 512; i++) {
            EXP[i] = EXP[i - 255];
        }
    }

    private Shamir() {
    }

    /** One share per x = 1..shares; any {@code threshold} of them reconstruct the secret. */
    static byte[][] split(byte[] secret, int shares, int threshold, SecureRandom random) {
        if (threshold < 1 || threshold > shares || shares > MAX_SHARES) {
            throw new IllegalArgumentException("need 1 <= threshold <= shares <= " + MAX_SHARES);
        }
        byte[][] result = new byte[shares][secret.length + 1];
        for (int s = 0; s < shares; s++) {
            result[s][0] = (byte) (s + 1);
        }
        int[] coefficients = new int[threshold];
        byte[] randomCoefficients = new byte[threshold - 1];
        for (int b = 0; b < secret.length; b++) {
            coefficients[0] = secret[b] & 0xff;
            random.nextBytes(randomCoefficients);
            for (int c = 1; c < threshold; c++) {
                coefficients[c] = randomCoefficients[c - 1] & 0xff;
            }
            for (int s = 0; s < shares; s++) {
                int x = s + 1;
                // Horner's rule from the highest coefficient down
                int y = 0;
                for (int c = threshold - 1; c >= 0; c--) {
                    y = multiply(y, x) ^ coefficients[c];
                }
                result[s][b + 1] = (byte) y;
            }
        }
        Arrays.fill(coefficients, 0);
        Arrays.fill(randomCoefficients, (byte) 0);
        return result;
    }

    /**
     * The value at 0 of the polynomial through the shares. Given fewer shares than the threshold the answer is
     * some other value, not the secret: the shares alone cannot tell.
     *
     * @throws IllegalArgumentException on no shares, shares of different lengths, or two with the same x
     */
    static byte[] combine(List<byte[]> shares) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("no shares");
        }
        int length = shares.getFirst().length;
        Set<Integer> xs = new HashSet<>();
        for (byte[] share : shares) {
            if (share.length != length || length < 2 || share[0] == 0 || !xs.add(share[0] & 0xff)) {
                throw new IllegalArgumentException("shares of different lengths, or a repeated or zero x");
            }
        }
        // Lagrange basis at 0: l_i(0) = prod_{j != i} x_j / (x_j - x_i), subtraction being xor
        int[] basis = new int[shares.size()];
        for (int i = 0; i < shares.size(); i++) {
            int xi = shares.get(i)[0] & 0xff;
            int numerator = 1;
            int denominator = 1;
            for (int j = 0; j < shares.size(); j++) {
                if (j != i) {
                    int xj = shares.get(j)[0] & 0xff;
                    numerator = multiply(numerator, xj);
                    denominator = multiply(denominator, xj ^ xi);
                }
            }
            basis[i] = divide(numerator, denominator);
        }
        byte[] secret = new byte[length - 1];
        for (int b = 1; b < length; b++) {
            int value = 0;
            for (int i = 0; i < shares.size(); i++) {
                value ^= multiply(shares.get(i)[b] & 0xff, basis[i]);
            }
            secret[b - 1] = (byte) value;
        }
        return secret;
    }

    static int multiply(int a, int b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return EXP[LOG[a] + LOG[b]];
    }

    static int divide(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero in GF(256)");
        }
        if (a == 0) {
            return 0;
        }
        return EXP[LOG[a] + 255 - LOG[b]];
    }
}
