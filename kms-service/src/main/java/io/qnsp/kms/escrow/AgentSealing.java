package io.qnsp.kms.escrow;

import org.jspecify.annotations.Nullable;

import javax.crypto.Cipher;
import javax.crypto.KEM;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;

/**
 * Seals a share to its agent's public key, so that only the agent can read it: a fresh AES-256 key encrypts the
 * share (GCM, the escrow and agent ids as associated data) and is itself either wrapped with RSA-OAEP (SHA-256) or
 * derived from an ML-KEM-768 encapsulation. The sealed form is
 * {@code len(wrapped key or encapsulation) (2 bytes, big-endian) || wrapped key or encapsulation || nonce (12) ||
 * ciphertext || tag (16)}.
 */
final class AgentSealing {

    static final String RSA = "RSA-OAEP-256+A256GCM";
    static final String ML_KEM = "ML-KEM-768+A256GCM";

    private static final SecureRandom RANDOM = new SecureRandom();

    private AgentSealing() {
    }

    /** The public key decoded, or {@code null} when it is not an RSA key of 2048 bits or more nor ML-KEM-768. */
    static @Nullable PublicKey parse(String base64) {
        byte[] encoded;
        try {
            encoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
        try {
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(encoded));
            return ((RSAPublicKey) key).getModulus().bitLength() >= 2048 ? key : null;
        } catch (GeneralSecurityException | RuntimeException notRsa) {
            try {
                PublicKey key = KeyFactory.getInstance("ML-KEM").generatePublic(new X509EncodedKeySpec(encoded));
                return key.getParams() instanceof NamedParameterSpec named
                        && named.getName().equalsIgnoreCase("ML-KEM-768") ? key : null;
            } catch (GeneralSecurityException | RuntimeException notMlKem) {
                return null;
            }
        }
    }

    static String scheme(PublicKey key) {
        return key instanceof RSAPublicKey ? RSA : ML_KEM;
    }

    static byte[] seal(PublicKey key, UUID escrowId, String agentId, byte[] share) {
        try {
            SecretKey contentKey;
            byte[] header;
            if (key instanceof RSAPublicKey) {
                KeyGenerator generator = KeyGenerator.getInstance("AES");
                generator.init(256, RANDOM);
                contentKey = generator.generateKey();
                Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
                oaep.init(Cipher.ENCRYPT_MODE, key, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                        PSource.PSpecified.DEFAULT), RANDOM);
                header = oaep.doFinal(contentKey.getEncoded());
            } else {
                KEM.Encapsulated encapsulated = KEM.getInstance("ML-KEM").newEncapsulator(key, RANDOM)
                        .encapsulate(0, 32, "AES");
                contentKey = encapsulated.key();
                header = encapsulated.encapsulation();
            }
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, contentKey, new GCMParameterSpec(128, nonce));
            gcm.updateAAD(associatedData(escrowId, agentId));
            byte[] ciphertext = gcm.doFinal(share);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(header.length >> 8);
            out.write(header.length & 0xff);
            out.writeBytes(header);
            out.writeBytes(nonce);
            out.writeBytes(ciphertext);
            return out.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a share to its agent failed", e);
        }
    }

    /** What the agent authenticates along with the share: {@code escrowId/agentId} in UTF-8. */
    static byte[] associatedData(UUID escrowId, String agentId) {
        return (escrowId + "/" + agentId).getBytes(StandardCharsets.UTF_8);
    }
}
