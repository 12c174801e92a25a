package io.qnsp.vault.leak;

import io.qnsp.vault.envelope.ValueFingerprints;
import io.qnsp.vault.secret.StoredSecrets;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The versioned secret store as leak detection sees it, kept in memory for the tests until the real store is part
 * of the service: versions fingerprinted with the service's own {@link ValueFingerprints}, rotations and
 * retirements recorded. Values are not kept.
 */
@Component
public class InMemoryStoredSecrets implements StoredSecrets {

    /** One stored version. */
    public record Version(int version, byte[] fingerprint, String state, @Nullable String reason, String actor) {
    }

    private final ValueFingerprints fingerprints;
    private final Map<String, List<Version>> secrets = new ConcurrentHashMap<>();

    InMemoryStoredSecrets(ValueFingerprints fingerprints) {
        this.fingerprints = fingerprints;
    }

    /** Writes the value as the secret's next version (its first when the secret is new). */
    public synchronized int put(String tenantId, String secretId, String value) {
        List<Version> versions = secrets.computeIfAbsent(key(tenantId, secretId), k -> new ArrayList<>());
        versions.add(new Version(versions.size() + 1, fingerprints.of(tenantId, value), "active", null, "test"));
        return versions.size();
    }

    public synchronized List<Version> versions(String tenantId, String secretId) {
        return List.copyOf(secrets.getOrDefault(key(tenantId, secretId), List.of()));
    }

    @Override
    public synchronized List<VersionMatch> findByFingerprints(String tenantId, Collection<byte[]> wanted) {
        List<VersionMatch> matches = new ArrayList<>();
        secrets.forEach((key, versions) -> {
            if (!key.startsWith(tenantId + "\n")) {
                return;
            }
            String secretId = key.substring(tenantId.length() + 1);
            for (int i = versions.size() - 1; i >= 0; i--) {
                Version version = versions.get(i);
                for (byte[] fingerprint : wanted) {
                    if (Arrays.equals(fingerprint, version.fingerprint())) {
                        matches.add(new VersionMatch(secretId, version.version(), version.state(),
                                i == versions.size() - 1, version.fingerprint()));
                        break;
                    }
                }
            }
        });
        return matches;
    }

    @Override
    public boolean exists(String tenantId, String secretId) {
        return secrets.containsKey(key(tenantId, secretId));
    }

    @Override
    public synchronized int rotate(String tenantId, String secretId, String newValue, String reason, String actor) {
        List<Version> versions = secrets.get(key(tenantId, secretId));
        versions.add(new Version(versions.size() + 1, fingerprints.of(tenantId, newValue), "active", reason, actor));
        return versions.size();
    }

    @Override
    public synchronized void retire(String tenantId, String secretId, int version, String state,
                                    @Nullable String reason, String actor) {
        List<Version> versions = secrets.get(key(tenantId, secretId));
        Version old = versions.get(version - 1);
        versions.set(version - 1, new Version(old.version(), old.fingerprint(), state, reason, actor));
    }

    private static String key(String tenantId, String secretId) {
        return tenantId + "\n" + secretId;
    }
}
