package io.qnsp.securitymonitoring.playbook;

import io.qnsp.common.crypto.SecretBox;
import io.qnsp.common.error.InvalidField;
import io.qnsp.securitymonitoring.MonitoringSettings;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;

/** Seals responder client secrets for storage (AES-256-GCM) and opens them when a trigger's run needs a token. */
@Component
class ResponderSecrets {

    private static final String SETTING = "qnsp.security-monitoring.secret-encryption-key";

    private final @Nullable SecretBox box;

    ResponderSecrets(MonitoringSettings settings) {
        this.box = settings.secretEncryptionKey().isBlank() ? null
                : SecretBox.fromBase64Key(settings.secretEncryptionKey(), SETTING, "qnsp-security-responder-v1");
    }

    byte[] seal(String secret) {
        if (box == null) {
            throw new InvalidField("responder.clientSecret", "cannot be stored: the service has no "
                    + SETTING + " configured");
        }
        return box.seal(secret.getBytes(StandardCharsets.UTF_8));
    }

    String open(byte[] sealed) {
        if (box == null) {
            throw new IllegalStateException(SETTING + " is not configured");
        }
        return new String(box.open(sealed), StandardCharsets.UTF_8);
    }
}
