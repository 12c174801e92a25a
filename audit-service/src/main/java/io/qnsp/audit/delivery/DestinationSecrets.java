package io.qnsp.audit.delivery;

import io.qnsp.common.crypto.SecretBox;
import org.springframework.stereotype.Component;

/**
 * Seals destination secrets (webhook signing secrets, broker credentials) for storage and opens them to send. Keyed
 * by {@code qnsp.audit.deliveries.secret-encryption-key}.
 */
@Component
public class DestinationSecrets {

    private final SecretBox box;

    DestinationSecrets(DeliverySettings settings) {
        this.box = SecretBox.fromBase64Key(settings.secretEncryptionKey(),
                "qnsp.audit.deliveries.secret-encryption-key", "qnsp-audit-destination-secret-v1");
    }

    public byte[] seal(String secret) {
        return box.seal(secret);
    }

    public String open(byte[] sealed) {
        return box.openString(sealed);
    }
}
