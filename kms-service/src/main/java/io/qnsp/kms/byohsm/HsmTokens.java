package io.qnsp.kms.byohsm;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Talks to the tenants' PKCS#11 tokens through the JDK's SunPKCS11 provider: one provider and logged-in key store per
 * connection (kept until the connection's configuration changes), keys generated and used inside the token.
 */
@Component
class HsmTokens {

    private static final Pattern CKR = Pattern.compile("CKR_[A-Z_]+");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final PSSParameterSpec PSS = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
            32, 1);
    private static final OAEPParameterSpec OAEP = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
            PSource.PSpecified.DEFAULT);

    /** The JCA algorithm each API algorithm needs from the token. */
    static final Map<String, String> REQUIRED_SERVICE = Map.of(
            "AES-GCM", "Cipher.AES/GCM/NoPadding",
            "AES-KWP", "Cipher.AES/KWP/NoPadding",
            "RSA-OAEP", "Cipher.RSA/ECB/OAEPPadding",
            "RSASSA-PSS", "Signature.RSASSA-PSS",
            "SHA256withECDSA", "Signature.SHA256withECDSA");

    /** Where a token could not be reached: {@code library}, {@code slot} or {@code login}, and what it said. */
    static final class TokenFailure extends RuntimeException {

        final String stage;

        TokenFailure(String stage, String reason) {
            super(stage + " failed: " + reason, null, false, false);
            this.stage = stage;
        }
    }

    /** The token's address and PIN; the PIN is never kept beyond the login. */
    record Target(UUID connectionId, Instant version, String library, @Nullable Long slot,
                  @Nullable Integer slotListIndex, char[] pin) {

        @Override
        public String toString() {
            return "Target[" + connectionId + ", " + library + ", slot=" + slot + ", index=" + slotListIndex + "]";
        }
    }

    record Session(Instant version, Provider provider, KeyStore keyStore) {

        Set<String> capabilities() {
            Set<String> services = new TreeSet<>();
            for (Provider.Service service : provider.getServices()) {
                services.add(service.getType() + "." + service.getAlgorithm());
            }
            return services;
        }
    }

    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();

    /** A logged-in session on the token, reused while the connection's configuration is unchanged. */
    Session session(Target target) {
        Session session = sessions.get(target.connectionId());
        if (session != null && session.version().equals(target.version())) {
            return session;
        }
        synchronized (this) {
            session = sessions.get(target.connectionId());
            if (session == null || !session.version().equals(target.version())) {
                session = open(target);
                sessions.put(target.connectionId(), session);
            }
            return session;
        }
    }

    /** Opens a fresh session and logs in, whatever is cached: what {@code validate} checks. */
    Session reopen(Target target) {
        forget(target.connectionId());
        return session(target);
    }

    void forget(UUID connectionId) {
        sessions.remove(connectionId);
    }

    private static Session open(Target target) {
        String config = "--name=qnsp-" + target.connectionId().toString().replace("-", "") + "\n"
                + "library=" + target.library() + "\n"
                + (target.slot() != null ? "slot=" + target.slot() : "slotListIndex=" + target.slotListIndex()) + "\n";
        Provider provider;
        try {
            provider = Security.getProvider("SunPKCS11").configure(config);
        } catch (RuntimeException e) {
            String reason = reason(e);
            boolean slot = reason.startsWith("CKR_SLOT") || reason.startsWith("CKR_TOKEN")
                    || reason.toLowerCase().contains("slot");
            throw new TokenFailure(slot ? "slot" : "library", reason);
        }
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
            keyStore.load(null, target.pin());
            return new Session(target.version(), provider, keyStore);
        } catch (java.io.IOException | GeneralSecurityException | RuntimeException e) {
            throw new TokenFailure("login", reason(e));
        }
    }

    /** The PKCS#11 return value when there is one (e.g. CKR_PIN_INCORRECT), else the deepest message. */
    static String reason(Throwable failure) {
        String message = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                Matcher ckr = CKR.matcher(cause.getMessage());
                if (ckr.find()) {
                    return ckr.group();
                }
                message = cause.getMessage();
            }
        }
        return message == null ? failure.getClass().getSimpleName() : message;
    }

    /** Generates an AES key inside the token and keeps it there under the alias. */
    void generateSecretKey(Session session, String alias, int bits) throws GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance("AES", session.provider());
        generator.init(bits);
        session.keyStore().setKeyEntry(alias, generator.generateKey(), null, null);
    }

    /**
     * Generates a key pair inside the token and keeps it there under the alias, with a self-signed certificate the
     * token signs (the PKCS#11 key store keeps a private key only with a certificate).
     *
     * @return the public key's X.509 SubjectPublicKeyInfo
     */
    byte[] generateKeyPair(Session session, String alias, String keyType, int size) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(keyType.equals("rsa") ? "RSA" : "EC",
                session.provider());
        if (keyType.equals("rsa")) {
            generator.initialize(size);
        } else {
            generator.initialize(new ECGenParameterSpec(size == 384 ? "secp384r1" : "secp256r1"));
        }
        KeyPair pair = generator.generateKeyPair();
        Certificate certificate = selfSigned(pair, session.provider(), alias);
        session.keyStore().setKeyEntry(alias, pair.getPrivate(), null, new Certificate[]{certificate});
        return pair.getPublic().getEncoded();
    }

    byte[] wrap(Session session, String alias, String algorithm, UUID keyId, byte[] keyToWrap)
            throws GeneralSecurityException {
        return switch (algorithm) {
            case "AES-GCM" -> {
                byte[] iv = new byte[12];
                RANDOM.nextBytes(iv);
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", session.provider());
                cipher.init(Cipher.ENCRYPT_MODE, secretKey(session, alias), new GCMParameterSpec(128, iv));
                cipher.updateAAD(binding(keyId));
                byte[] sealed = cipher.doFinal(keyToWrap);
                byte[] out = new byte[iv.length + sealed.length];
                System.arraycopy(iv, 0, out, 0, iv.length);
                System.arraycopy(sealed, 0, out, iv.length, sealed.length);
                yield out;
            }
            case "AES-KWP" -> {
                Cipher cipher = Cipher.getInstance("AES/KWP/NoPadding", session.provider());
                cipher.init(Cipher.ENCRYPT_MODE, secretKey(session, alias));
                yield cipher.doFinal(keyToWrap);
            }
            case "RSA-OAEP" -> {
                Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding", session.provider());
                cipher.init(Cipher.ENCRYPT_MODE, publicKey(session, alias), OAEP);
                yield cipher.doFinal(keyToWrap);
            }
            default -> throw new IllegalStateException("not a wrapping algorithm: " + algorithm);
        };
    }

    byte[] unwrap(Session session, String alias, String algorithm, UUID keyId, byte[] wrapped)
            throws GeneralSecurityException {
        try {
            return switch (algorithm) {
                case "AES-GCM" -> {
                    if (wrapped.length < 12 + 16) {
                        throw new AEADBadTagException("too short");
                    }
                    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", session.provider());
                    cipher.init(Cipher.DECRYPT_MODE, secretKey(session, alias),
                            new GCMParameterSpec(128, wrapped, 0, 12));
                    cipher.updateAAD(binding(keyId));
                    yield cipher.doFinal(wrapped, 12, wrapped.length - 12);
                }
                case "AES-KWP" -> {
                    Cipher cipher = Cipher.getInstance("AES/KWP/NoPadding", session.provider());
                    cipher.init(Cipher.DECRYPT_MODE, secretKey(session, alias));
                    yield cipher.doFinal(wrapped);
                }
                case "RSA-OAEP" -> {
                    Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding", session.provider());
                    cipher.init(Cipher.DECRYPT_MODE, privateKey(session, alias), OAEP);
                    yield cipher.doFinal(wrapped);
                }
                default -> throw new IllegalStateException("not a wrapping algorithm: " + algorithm);
            };
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
            throw new InvalidField("wrappedKey", "was not wrapped by this key (it does not unwrap)");
        }
    }

    byte[] sign(Session session, String alias, String algorithm, byte[] data) throws GeneralSecurityException {
        Signature signature = signature(session, algorithm);
        signature.initSign(privateKey(session, alias));
        signature.update(data);
        return signature.sign();
    }

    boolean verify(Session session, String alias, String algorithm, byte[] data, byte[] signatureBytes)
            throws GeneralSecurityException {
        Signature signature = signature(session, algorithm);
        signature.initVerify(publicKey(session, alias));
        signature.update(data);
        try {
            return signature.verify(signatureBytes);
        } catch (java.security.SignatureException e) {
            return false;
        }
    }

    private static Signature signature(Session session, String algorithm) throws GeneralSecurityException {
        Signature signature = Signature.getInstance(algorithm, session.provider());
        if (algorithm.equals("RSASSA-PSS")) {
            signature.setParameter(PSS);
        }
        return signature;
    }

    private static byte[] binding(UUID keyId) {
        return ("qnsp-byohsm/" + keyId).getBytes(StandardCharsets.UTF_8);
    }

    private static SecretKey secretKey(Session session, String alias) throws GeneralSecurityException {
        return (SecretKey) present(session.keyStore().getKey(alias, null), alias);
    }

    private static PrivateKey privateKey(Session session, String alias) throws GeneralSecurityException {
        return (PrivateKey) present(session.keyStore().getKey(alias, null), alias);
    }

    private static PublicKey publicKey(Session session, String alias) throws GeneralSecurityException {
        Certificate certificate = session.keyStore().getCertificate(alias);
        if (certificate == null) {
            throw new TokenFailure("key", "the token no longer holds the key " + alias);
        }
        return certificate.getPublicKey();
    }

    private static Key present(@Nullable Key key, String alias) {
        if (key == null) {
            throw new TokenFailure("key", "the token no longer holds the key " + alias);
        }
        return key;
    }

    // ---- a minimal self-signed X.509 certificate, signed by the token ----

    private static Certificate selfSigned(KeyPair pair, Provider provider, String commonName) throws Exception {
        boolean rsa = pair.getPublic().getAlgorithm().equals("RSA");
        byte[] algorithm = rsa ? der(0x30, hex("06092A864886F70D01010B"), hex("0500"))
                : der(0x30, hex("06082A8648CE3D040302"));
        byte[] name = der(0x30, der(0x31, der(0x30, hex("0603550403"),
                der(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
        byte[] validity = der(0x30, der(0x18, "20250101000000Z".getBytes(StandardCharsets.US_ASCII)),
                der(0x18, "99991231235959Z".getBytes(StandardCharsets.US_ASCII)));
        byte[] serial = new byte[16];
        RANDOM.nextBytes(serial);
        serial[0] &= 0x7f;
        byte[] tbs = der(0x30, der(0xa0, hex("020102")), der(0x02, serial), algorithm, name, validity, name,
                pair.getPublic().getEncoded());
        Signature signer = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA", provider);
        signer.initSign(pair.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bits = new byte[signature.length + 1];
        System.arraycopy(signature, 0, bits, 1, signature.length);
        return CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(der(0x30, tbs, algorithm, der(0x03, bits))));
    }

    private static byte[] der(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        int length = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static List<String> wrapAlgorithms() {
        return List.of("AES-GCM", "AES-KWP", "RSA-OAEP");
    }
}
