package io.qnsp.vault.secret;

import org.jspecify.annotations.Nullable;

import java.util.Collection;
import java.util.List;

/**
 * What the rest of the vault (leak detection) may ask of the versioned secret store, always within one tenant:
 * which stored versions hold a value (by its {@link io.qnsp.vault.fingerprint.ValueFingerprints fingerprint}), and the
 * remediations a leak triggers. Every change made through it is in the secret's audit log like one made through
 * the API.
 */
public interface StoredSecrets {

    /**
     * A stored version whose value has the fingerprint looked up.
     *
     * @param state   active, deprecated or destroyed (a destroyed version's value is gone, its fingerprint is kept so
     *                a leak of it is still recognised)
     * @param current whether it is the secret's newest version
     */
    record VersionMatch(String secretId, int version, String state, boolean current, byte[] fingerprint) {
    }

    /** Every version of the tenant's secrets whose value has one of the fingerprints, newest first per secret. */
    List<VersionMatch> findByFingerprints(String tenantId, Collection<byte[]> fingerprints);

    boolean exists(String tenantId, String secretId);

    /**
     * Writes {@code newValue} as the secret's next version (like {@code POST /v1/versioned-secrets}).
     *
     * @return the new version's number
     * @throws io.qnsp.common.kms.DependencyDown when kms-service is needed and cannot answer
     */
    int rotate(String tenantId, String secretId, String newValue, String reason, String actor);

    /**
     * Moves a version to {@code deprecated} or {@code destroyed} (like {@code PATCH …/versions/:version/state});
     * destroying erases its value for good.
     */
    void retire(String tenantId, String secretId, int version, String state, @Nullable String reason, String actor);
}
