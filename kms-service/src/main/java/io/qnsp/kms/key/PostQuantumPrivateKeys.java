package io.qnsp.kms.key;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * Brings an imported ML-KEM or ML-DSA private key to the one PKCS#8 form the JDK provider reads.
 *
 * <p>RFC 9881 (ML-DSA) and RFC 9935 (ML-KEM) let the private key inside PKCS#8 be the {@code seed} alone (context
 * tag 0), the {@code expandedKey} (an OCTET STRING) or {@code both} (a SEQUENCE of the two). OpenSSL 3.5 and
 * BouncyCastle write {@code both} or {@code seed} by default; the JDK 25 provider reads only {@code expandedKey}.
 * A seed is expanded by the JDK's own key generation (FIPS 203 and 204 derive the key pair from the seed alone);
 * with {@code both}, the expanded key given must be the one the seed yields. Anything else is left as it is for
 * the import check to refuse.
 */
final class PostQuantumPrivateKeys {

    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    private static final int OCTET_STRING = 0x04;
    private static final int SEED = 0x80;

    private PostQuantumPrivateKeys() {
    }

    /** The PKCS#8 encoding the JDK reads, or the input unchanged when it is not a seed or both form. */
    static byte[] inJdkForm(KeyAlgorithm algorithm, byte[] pkcs8) {
        if (!algorithm.postQuantum()) {
            return pkcs8;
        }
        try {
            Der outer = Der.read(pkcs8, 0);
            if (outer.tag != SEQUENCE || outer.end() != pkcs8.length) {
                return pkcs8;
            }
            Der version = Der.read(pkcs8, outer.contentStart);
            Der algorithmIdentifier = Der.read(pkcs8, version.end());
            Der privateKey = Der.read(pkcs8, algorithmIdentifier.end());
            if (version.tag != INTEGER || algorithmIdentifier.tag != SEQUENCE || privateKey.tag != OCTET_STRING) {
                return pkcs8;
            }
            Der choice = Der.read(pkcs8, privateKey.contentStart);
            if (choice.end() != privateKey.end()) {
                return pkcs8;
            }
            return switch (choice.tag) {
                case SEED -> fromSeed(algorithm, choice.content(pkcs8));
                case SEQUENCE -> {
                    Der seed = Der.read(pkcs8, choice.contentStart);
                    Der expanded = Der.read(pkcs8, seed.end());
                    if (seed.tag != OCTET_STRING || expanded.tag != OCTET_STRING || expanded.end() != choice.end()) {
                        yield pkcs8;
                    }
                    byte[] derived = fromSeed(algorithm, seed.content(pkcs8));
                    byte[] given = expanded.content(pkcs8);
                    // the JDK form ends with the expanded key: the two halves of "both" must agree
                    boolean agree = derived.length >= given.length && Arrays.equals(given, 0, given.length, derived,
                            derived.length - given.length, derived.length);
                    yield agree ? derived : pkcs8;
                }
                default -> pkcs8;
            };
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return pkcs8;
        }
    }

    private static byte[] fromSeed(KeyAlgorithm algorithm, byte[] seed) {
        int expectedLength = algorithm == KeyAlgorithm.ML_KEM_768 ? 64 : 32;
        if (seed.length != expectedLength) {
            throw new IllegalArgumentException("seed of " + seed.length + " bytes");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.apiName());
            generator.initialize(new NamedParameterSpec(algorithm.apiName()), new SeedAsRandom(seed));
            return generator.generateKeyPair().getPrivate().getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.apiName() + " is not available in this JDK", e);
        }
    }

    /** Hands out the seed, once: key generation draws exactly the seed's bytes from its random source. */
    private static final class SeedAsRandom extends SecureRandom {

        private final byte[] seed;
        private int position;

        SeedAsRandom(byte[] seed) {
            this.seed = seed;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (position + bytes.length > seed.length) {
                throw new IllegalStateException("key generation asked for more than the seed");
            }
            System.arraycopy(seed, position, bytes, 0, bytes.length);
            position += bytes.length;
        }
    }

    /** One DER element: where its content starts and how long it is. */
    private record Der(int tag, int contentStart, int length) {

        static Der read(byte[] der, int offset) {
            int tag = der[offset] & 0xff;
            int first = der[offset + 1] & 0xff;
            int start = offset + 2;
            int length;
            if (first < 0x80) {
                length = first;
            } else {
                int octets = first & 0x7f;
                if (octets == 0 || octets > 3) {
                    throw new IllegalArgumentException("length of " + octets + " octets");
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | (der[start + i] & 0xff);
                }
                start += octets;
            }
            if (start + length > der.length) {
                throw new IndexOutOfBoundsException("element runs past the input");
            }
            return new Der(tag, start, length);
        }

        int end() {
            return contentStart + length;
        }

        byte[] content(byte[] der) {
            return Arrays.copyOfRange(der, contentStart, end());
        }
    }
}
