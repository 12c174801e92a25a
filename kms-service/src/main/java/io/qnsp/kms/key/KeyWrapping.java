package io.qnsp.kms.key;

import io.qnsp.common.crypto.SecretBox;
import io.qnsp.kms.KmsSettings;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * Seals key material under the master key before it is stored and opens it for an operation. Each version's
 * material is bound to its key id and version, so a wrapped value moved onto another key or version fails to open.
 */
@Component
class KeyWrapping {

    private final String masterKey;

    KeyWrapping(KmsSettings settings) {
        this.masterKey = settings.masterKey();
        box(new UUID(0, 0), 0); // fail at startup, not at the first operation, on a bad master key
    }

    byte[] wrap(UUID keyId, int version, byte[] material) {
        return box(keyId, version).seal(material);
    }

    byte[] unwrap(UUID keyId, int version, byte[] wrapped) {
        return box(keyId, version).open(wrapped);
    }

    private SecretBox box(UUID keyId, int version) {
        return SecretBox.fromBase64Key(masterKey, "qnsp.kms.master-key", "qnsp-kms-key/" + keyId + "/v" + version);
    }
}
