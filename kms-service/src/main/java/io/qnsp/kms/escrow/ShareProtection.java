package io.qnsp.kms.escrow;

import io.qnsp.common.crypto.SecretBox;
import io.qnsp.kms.KmsSettings;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;

/**
 * What the service keeps of the shares: a keyed hash of each issued share, to recognise it when it comes back
 * (HMAC-SHA256 under a key derived from the master key, bound to the escrow and the agent), and the submitted
 * shares sealed under the master key until the recovery is executed.
 */
@Component
class ShareProtection {

    private final String masterKey;
    private final byte[] hashKey;

    ShareProtection(KmsSettings settings) {
        this.masterKey = settings.masterKey();
        box(new UUID(0, 0), ""); // a bad master key fails at startup
        // a key of its own for the hashes, so that no value is ever computed under the master key itself
        this.hashKey = hmac(Base64.getDecoder().decode(masterKey),
                "qnsp-kms-escrow-share-hash-v1".getBytes(StandardCharsets.UTF_8));
    }

    byte[] hash(UUID escrowId, String agentId, byte[] share) {
        byte[] label = ("qnsp-kms-escrow-share/" + escrowId + "/" + agentId + "/").getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[label.length + share.length];
        System.arraycopy(label, 0, input, 0, label.length);
        System.arraycopy(share, 0, input, label.length, share.length);
        return hmac(hashKey, input);
    }

    boolean matches(UUID escrowId, String agentId, byte[] share, byte[] storedHash) {
        return MessageDigest.isEqual(hash(escrowId, agentId, share), storedHash);
    }

    byte[] seal(UUID requestId, String agentId, byte[] share) {
        return box(requestId, agentId).seal(share);
    }

    byte[] open(UUID requestId, String agentId, byte[] sealed) {
        return box(requestId, agentId).open(sealed);
    }

    private SecretBox box(UUID requestId, String agentId) {
        return SecretBox.fromBase64Key(masterKey, "qnsp.kms.master-key",
                "qnsp-kms-escrow-submitted-share/" + requestId + "/" + agentId);
    }

    private static byte[] hmac(byte[] key, byte[] input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
