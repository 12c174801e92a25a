package io.qnsp.vault.fingerprint;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.qnsp.common.crypto.KeyedHash;
import org.springframework.stereotype.Component;

import java.util.Base64;

/**
 * Fingerprints of values (HMAC-SHA256 under a key derived per tenant from {@code qnsp.vault.fingerprints.hash-key}):
 * equal values of one tenant have equal fingerprints, so versions are compared and a leaked value is traced to the
 * secret it belongs to without either being stored in plain text; the same value in two tenants has two unrelated
 * fingerprints, and without the server secret a fingerprint cannot be tested against guesses.
 */
@Component
public class ValueFingerprints {

    private final KeyedHash root;
    private final Cache<String, KeyedHash> perTenant = Caffeine.newBuilder().maximumSize(10_000).build();

    ValueFingerprints(FingerprintSettings settings) {
        this.root = KeyedHash.fromBase64Secret(settings.hashKey(), "qnsp.vault.fingerprints.hash-key");
    }

    /** The value's fingerprint within the tenant. */
    public byte[] of(String tenantId, String value) {
        return perTenant.get(tenantId, tenant -> KeyedHash.fromBase64Secret(
                        Base64.getEncoder().encodeToString(root.hash("qnsp-vault-tenant\n" + tenant)),
                        "the tenant's fingerprint key"))
                .hash(value);
    }
}
