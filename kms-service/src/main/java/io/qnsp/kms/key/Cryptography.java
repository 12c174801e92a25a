package io.qnsp.kms.key;

import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.DecapsulateException;
import javax.crypto.KDF;
import javax.crypto.KEM;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * The cryptography of each algorithm, on the JDK's own providers. Symmetric material is the raw key; asymmetric
 * material is the PKCS#8 private key, its public half the X.509 SubjectPublicKeyInfo.
 * <ul>
 * <li>AES-256-GCM: a fresh 96-bit nonce, {@code nonce || ciphertext || tag}, the associated data bound by GCM.</li>
 * <li>RSA-3072: OAEP with SHA-256 (the associated data is the OAEP label) and PSS with SHA-256, 32-byte salt.</li>
 * <li>EC-P256: ECDSA with SHA-256 (DER signatures).</li>
 * <li>ML-KEM-768 (FIPS 203): encapsulation; encryption is KEM-DEM: {@code encapsulation || nonce || AES-256-GCM},
 * the AES key derived from the shared secret by HKDF-SHA256.</li>
 * <li>ML-DSA-65 (FIPS 204): pure ML-DSA over the message.</li>
 * </ul>
 */
final class Cryptography {

    /** Plaintext bytes RSA-3072 OAEP with SHA-256 can take: 384 - 2 * 32 - 2. */
    static final int RSA_OAEP_MAX_PLAINTEXT = 318;
    static final int ML_KEM_768_ENCAPSULATION_BYTES = 1088;

    private static final int GCM_NONCE_BYTES = 12;
    private static final int GCM_TAG_BITS = 128;
    private static final byte[] KEM_DEM_INFO = "qnsp-kms/ML-KEM-768/AES-256-GCM".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Key material: the secret (raw key or PKCS#8) and, for an asymmetric key, the X.509 public key. */
    record Material(byte[] secret, byte[] publicKey) {
    }

    /** A shared secret and the encapsulation that carries it to the private key's holder. */
    record Encapsulated(byte[] sharedSecret, byte[] encapsulation) {
    }

    private Cryptography() {
    }

    static Material generate(KeyAlgorithm algorithm) {
        try {
            return switch (algorithm) {
                case AES_256_GCM -> {
                    KeyGenerator generator = KeyGenerator.getInstance("AES");
                    generator.init(256, RANDOM);
                    yield new Material(generator.generateKey().getEncoded(), null);
                }
                case RSA_3072 -> pair(generator("RSA", 3072));
                case EC_P256 -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                    yield pair(generator);
                }
                case ML_KEM_768 -> pair(KeyPairGenerator.getInstance("ML-KEM-768"));
                case ML_DSA_65 -> pair(KeyPairGenerator.getInstance("ML-DSA-65"));
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.apiName() + " is not available in this JDK", e);
        }
    }

    /**
     * Checks material brought by the caller: an AES key of 32 bytes, or a PKCS#8 private key and its X.509 public
     * key of the algorithm that belong together (proven by a round trip through both halves).
     *
     * @return {@code null} when it is fine, else what is wrong, naming no byte of it
     */
    static String problemWithImported(KeyAlgorithm algorithm, KeyUsage usage, Material material) {
        if (algorithm == KeyAlgorithm.AES_256_GCM) {
            return material.secret().length == 32 ? null : "must be exactly 32 bytes for AES-256-GCM";
        }
        PrivateKey privateKey;
        PublicKey publicKey;
        try {
            privateKey = privateKey(algorithm, material.secret());
        } catch (GeneralSecurityException | RuntimeException e) {
            return "is not a PKCS#8 " + algorithm.apiName() + " private key";
        }
        try {
            publicKey = publicKey(algorithm, material.publicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            return "publicKey is not an X.509 " + algorithm.apiName() + " public key";
        }
        if (algorithm == KeyAlgorithm.RSA_3072
                && ((java.security.interfaces.RSAKey) publicKey).getModulus().bitLength() != 3072) {
            return "is not a 3072-bit RSA key";
        }
        if (algorithm == KeyAlgorithm.EC_P256 && ((java.security.interfaces.ECKey) publicKey).getParams()
                .getCurve().getField().getFieldSize() != 256) {
            return "is not a P-256 key";
        }
        try {
            byte[] probe = new byte[32];
            RANDOM.nextBytes(probe);
            boolean matches = switch (usage) {
                case SIGN_VERIFY -> verify(algorithm, material.publicKey(), probe, sign(algorithm, material.secret(), probe));
                case KEY_ENCAPSULATION -> {
                    Encapsulated encapsulated = encapsulate(material.publicKey());
                    yield Arrays.equals(encapsulated.sharedSecret(),
                            decapsulate(material.secret(), encapsulated.encapsulation()));
                }
                case ENCRYPT_DECRYPT -> Arrays.equals(probe,
                        decrypt(algorithm, material, encrypt(algorithm, material, probe, new byte[0]), new byte[0]));
            };
            return matches ? null : "does not belong to publicKey";
        } catch (RuntimeException e) {
            return "does not belong to publicKey";
        }
    }

    static byte[] encrypt(KeyAlgorithm algorithm, Material material, byte[] plaintext, byte[] associatedData) {
        try {
            return switch (algorithm) {
                case AES_256_GCM -> gcmSeal(material.secret(), plaintext, associatedData);
                case RSA_3072 -> {
                    Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
                    cipher.init(Cipher.ENCRYPT_MODE, publicKey(algorithm, material.publicKey()), oaep(associatedData),
                            RANDOM);
                    yield cipher.doFinal(plaintext);
                }
                case ML_KEM_768 -> {
                    Encapsulated encapsulated = encapsulate(material.publicKey());
                    byte[] sealed = gcmSeal(kemDemKey(encapsulated.sharedSecret()), plaintext, associatedData);
                    yield ByteBuffer.allocate(encapsulated.encapsulation().length + sealed.length)
                            .put(encapsulated.encapsulation()).put(sealed).array();
                }
                case EC_P256, ML_DSA_65 -> throw new IllegalArgumentException(algorithm.apiName() + " does not encrypt");
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption with " + algorithm.apiName() + " failed", e);
        }
    }

    /** @throws InvalidCiphertext when the payload was altered or sealed with other associated data */
    static byte[] decrypt(KeyAlgorithm algorithm, Material material, byte[] payload, byte[] associatedData) {
        try {
            return switch (algorithm) {
                case AES_256_GCM -> gcmOpen(material.secret(), payload, associatedData);
                case RSA_3072 -> {
                    Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
                    cipher.init(Cipher.DECRYPT_MODE, privateKey(algorithm, material.secret()), oaep(associatedData));
                    yield cipher.doFinal(payload);
                }
                case ML_KEM_768 -> {
                    if (payload.length < ML_KEM_768_ENCAPSULATION_BYTES + GCM_NONCE_BYTES + GCM_TAG_BITS / 8) {
                        throw new InvalidCiphertext();
                    }
                    byte[] shared = decapsulate(material.secret(),
                            Arrays.copyOf(payload, ML_KEM_768_ENCAPSULATION_BYTES));
                    yield gcmOpen(kemDemKey(shared),
                            Arrays.copyOfRange(payload, ML_KEM_768_ENCAPSULATION_BYTES, payload.length),
                            associatedData);
                }
                case EC_P256, ML_DSA_65 -> throw new InvalidCiphertext();
            };
        } catch (BadPaddingException | IllegalArgumentException e) {
            // AEADBadTagException is a BadPaddingException: a changed bit, another context or another key
            throw new InvalidCiphertext();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("decryption with " + algorithm.apiName() + " failed", e);
        }
    }

    static byte[] sign(KeyAlgorithm algorithm, byte[] secret, byte[] message) {
        try {
            Signature signature = signature(algorithm);
            signature.initSign(privateKey(algorithm, secret), RANDOM);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with " + algorithm.apiName() + " failed", e);
        }
    }

    /** Whether the signature is valid; a signature that is not even well-formed is simply not valid. */
    static boolean verify(KeyAlgorithm algorithm, byte[] publicKey, byte[] message, byte[] signatureBytes) {
        try {
            Signature signature = signature(algorithm);
            signature.initVerify(publicKey(algorithm, publicKey));
            signature.update(message);
            return signature.verify(signatureBytes);
        } catch (SignatureException | IllegalArgumentException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("verifying with " + algorithm.apiName() + " failed", e);
        }
    }

    static Encapsulated encapsulate(byte[] publicKey) {
        try {
            KEM.Encapsulated encapsulated = KEM.getInstance("ML-KEM")
                    .newEncapsulator(publicKey(KeyAlgorithm.ML_KEM_768, publicKey), RANDOM).encapsulate();
            return new Encapsulated(encapsulated.key().getEncoded(), encapsulated.encapsulation());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ML-KEM encapsulation failed", e);
        }
    }

    /**
     * ML-KEM never reports a wrong encapsulation of the right length: it answers a different secret (implicit
     * rejection), so only a wrong length is refused.
     */
    static byte[] decapsulate(byte[] secret, byte[] encapsulation) {
        if (encapsulation.length != ML_KEM_768_ENCAPSULATION_BYTES) {
            throw new InvalidCiphertext();
        }
        try {
            return KEM.getInstance("ML-KEM").newDecapsulator(privateKey(KeyAlgorithm.ML_KEM_768, secret))
                    .decapsulate(encapsulation).getEncoded();
        } catch (DecapsulateException e) {
            throw new InvalidCiphertext();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ML-KEM decapsulation failed", e);
        }
    }

    private static Material pair(KeyPairGenerator generator) {
        KeyPair pair = generator.generateKeyPair();
        return new Material(pair.getPrivate().getEncoded(), pair.getPublic().getEncoded());
    }

    private static KeyPairGenerator generator(String algorithm, int size) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(size, RANDOM);
        return generator;
    }

    private static Signature signature(KeyAlgorithm algorithm) throws GeneralSecurityException {
        return switch (algorithm) {
            case RSA_3072 -> {
                Signature pss = Signature.getInstance("RSASSA-PSS");
                pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                yield pss;
            }
            case EC_P256 -> Signature.getInstance("SHA256withECDSA");
            case ML_DSA_65 -> Signature.getInstance("ML-DSA-65");
            case AES_256_GCM, ML_KEM_768 -> throw new IllegalArgumentException(algorithm.apiName() + " does not sign");
        };
    }

    private static OAEPParameterSpec oaep(byte[] label) {
        return new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, new PSource.PSpecified(label));
    }

    private static String keyFactoryName(KeyAlgorithm algorithm) {
        return switch (algorithm) {
            case RSA_3072 -> "RSA";
            case EC_P256 -> "EC";
            case ML_KEM_768 -> "ML-KEM";
            case ML_DSA_65 -> "ML-DSA";
            case AES_256_GCM -> throw new IllegalArgumentException("AES has no key pair");
        };
    }

    static PrivateKey privateKey(KeyAlgorithm algorithm, byte[] pkcs8) throws GeneralSecurityException {
        PrivateKey key = KeyFactory.getInstance(keyFactoryName(algorithm)).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        requireParameterSet(algorithm, key.getAlgorithm(), key.getParams());
        return key;
    }

    static PublicKey publicKey(KeyAlgorithm algorithm, byte[] x509) throws GeneralSecurityException {
        PublicKey key = KeyFactory.getInstance(keyFactoryName(algorithm)).generatePublic(new X509EncodedKeySpec(x509));
        requireParameterSet(algorithm, key.getAlgorithm(), key.getParams());
        return key;
    }

    /** An ML-KEM-512 key is an ML-KEM key too: only the parameter set this key is declared with will do. */
    private static void requireParameterSet(KeyAlgorithm algorithm, String keyAlgorithm, Object params)
            throws GeneralSecurityException {
        if (!algorithm.postQuantum()) {
            return;
        }
        String name = params instanceof java.security.spec.NamedParameterSpec named ? named.getName() : keyAlgorithm;
        if (!algorithm.apiName().equalsIgnoreCase(name)) {
            throw new java.security.InvalidKeyException("not a " + algorithm.apiName() + " key");
        }
    }

    private static byte[] kemDemKey(byte[] sharedSecret) throws GeneralSecurityException {
        SecretKey derived = KDF.getInstance("HKDF-SHA256").deriveKey("AES", HKDFParameterSpec.ofExtract()
                .addIKM(sharedSecret).thenExpand(KEM_DEM_INFO, 32));
        return derived.getEncoded();
    }

    private static byte[] gcmSeal(byte[] key, byte[] plaintext, byte[] associatedData)
            throws GeneralSecurityException {
        byte[] nonce = new byte[GCM_NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(GCM_TAG_BITS, nonce));
        cipher.updateAAD(associatedData);
        byte[] sealed = cipher.doFinal(plaintext);
        return ByteBuffer.allocate(GCM_NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    }

    private static byte[] gcmOpen(byte[] key, byte[] payload, byte[] associatedData)
            throws GeneralSecurityException {
        if (payload.length < GCM_NONCE_BYTES + GCM_TAG_BITS / 8) {
            throw new AEADBadTagException("too short");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                new GCMParameterSpec(GCM_TAG_BITS, payload, 0, GCM_NONCE_BYTES));
        cipher.updateAAD(associatedData);
        return cipher.doFinal(payload, GCM_NONCE_BYTES, payload.length - GCM_NONCE_BYTES);
    }
}
