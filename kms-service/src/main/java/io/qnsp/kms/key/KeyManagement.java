package io.qnsp.kms.key;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.web.PathIds;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The key lifecycle: creation (generated or imported), rotation to a new version, enabling and disabling, and
 * deletion after a waiting period that can be cancelled. Every change happens under the key's row lock.
 */
@Service
public class KeyManagement {

    public static final int MIN_DELETION_DAYS = 7;
    public static final int MAX_DELETION_DAYS = 30;

    private static final Logger log = LoggerFactory.getLogger(KeyManagement.class);

    private final Keys keys;
    private final KeyWrapping wrapping;
    private final Clock clock;

    KeyManagement(Keys keys, KeyWrapping wrapping) {
        this.keys = keys;
        this.wrapping = wrapping;
        this.clock = Clock.systemUTC();
    }

    /** A key with its versions, as the API shows it. */
    public record KeyDetails(Key key, List<VersionInfo> versions) {
    }

    /** A version without its material. */
    public record VersionInfo(int version, KeyAlgorithm algorithm, String origin, Instant createdAt) {
    }

    /** The public half of an asymmetric key version, DER-encoded X.509 SubjectPublicKeyInfo. */
    public record PublicKeyMaterial(Key key, int version, KeyAlgorithm algorithm, byte[] subjectPublicKeyInfo) {
    }

    @Transactional
    public KeyDetails create(String tenantId, NewKey request) {
        Instant now = now();
        Key key = new Key(UUID.randomUUID(), tenantId, request.name(), request.description(), request.algorithm(),
                request.usage(), KeyState.ENABLED, 1, null, now, now, null);
        keys.insert(key);
        Cryptography.Material material = request.imported() != null ? request.imported()
                : Cryptography.generate(request.algorithm());
        storeVersion(key, 1, material, request.imported() != null ? "imported" : "generated", now);
        return details(key);
    }

    /** Every key of the tenant that still exists, oldest first: the inventory the reports are computed from. */
    public List<Key> inventory(String tenantId) {
        return keys.all(tenantId);
    }

    /** The versions of each of the tenant's keys, in the order of {@link #inventory}. */
    public List<KeyDetails> inventoryWithVersions(String tenantId) {
        Map<UUID, List<VersionInfo>> versions = keys.versionInfos(tenantId);
        return keys.all(tenantId).stream()
                .map(key -> new KeyDetails(key, versions.getOrDefault(key.keyId(), List.of()))).toList();
    }

    public KeyDetails get(String tenantId, String keyId) {
        return details(find(tenantId, keyId));
    }

    /** A page of the tenant's keys, oldest first. */
    public List<Key> list(String tenantId, @Nullable KeyState state, @Nullable KeyAlgorithm algorithm, int limit,
                          int offset) {
        return keys.list(tenantId, state, algorithm, limit, offset);
    }

    public long count(String tenantId, @Nullable KeyState state, @Nullable KeyAlgorithm algorithm) {
        return keys.count(tenantId, state, algorithm);
    }

    /**
     * A new version with fresh material becomes current; the older versions still decrypt and verify. Given an
     * algorithm, the new version uses it (crypto agility: an RSA key moves to ML-KEM-768, an EC key to ML-DSA-65)
     * while ciphertexts and signatures of the older versions keep working with theirs.
     */
    @Transactional
    public KeyDetails rotate(String tenantId, String keyId, @Nullable String algorithm) {
        KeyAlgorithm target = algorithm == null ? null : KeyAlgorithm.fromApiName(algorithm);
        if (algorithm != null && target == null) {
            throw new InvalidField("algorithm", "must be one of " + KeyAlgorithm.apiNames(),
                    Map.of("allowedAlgorithms", KeyAlgorithm.apiNames()));
        }
        Key key = findForUpdate(tenantId, keyId);
        if (key.state() != KeyState.ENABLED) {
            throw new KeyNotUsable(key, "only an enabled key is rotated");
        }
        KeyAlgorithm newAlgorithm = target == null ? key.algorithm() : target;
        KeyUsage newUsage = newAlgorithm == key.algorithm() ? key.usage()
                : newAlgorithm.usageAfterRotationFrom(key.usage());
        if (newUsage == null) {
            throw new InvalidField("algorithm", "cannot take over a " + key.usage().apiName() + " key's work: "
                    + newAlgorithm.apiName() + " does not " + (key.usage() == KeyUsage.SIGN_VERIFY ? "sign" : "encrypt"));
        }
        Instant now = now();
        Key rotated = key.rotated(newAlgorithm, newUsage, now);
        storeVersion(rotated, rotated.currentVersion(), Cryptography.generate(newAlgorithm), "generated", now);
        keys.update(rotated);
        return details(rotated);
    }

    @Transactional
    public KeyDetails describe(String tenantId, String keyId, @Nullable String description) {
        if (description != null && description.length() > NewKey.MAX_DESCRIPTION) {
            throw new InvalidField("description", "must be at most " + NewKey.MAX_DESCRIPTION + " characters");
        }
        Key key = findForUpdate(tenantId, keyId);
        Key described = key.described(description, now());
        keys.update(described);
        return details(described);
    }

    @Transactional
    public KeyDetails enable(String tenantId, String keyId) {
        Key key = findForUpdate(tenantId, keyId);
        if (key.state() == KeyState.PENDING_DELETION) {
            throw new KeyNotUsable(key, "cancel the deletion first");
        }
        return changeState(key, KeyState.ENABLED, null);
    }

    @Transactional
    public KeyDetails disable(String tenantId, String keyId) {
        Key key = findForUpdate(tenantId, keyId);
        if (key.state() == KeyState.PENDING_DELETION) {
            throw new KeyNotUsable(key, "it is already unusable until the deletion is cancelled");
        }
        return changeState(key, KeyState.DISABLED, null);
    }

    /**
     * The key stops working now and its material is destroyed after the waiting period, unless the deletion is
     * cancelled before then.
     */
    @Transactional
    public KeyDetails scheduleDeletion(String tenantId, String keyId, @Nullable Integer pendingWindowInDays) {
        int days = pendingWindowInDays == null ? MAX_DELETION_DAYS : pendingWindowInDays;
        if (days < MIN_DELETION_DAYS || days > MAX_DELETION_DAYS) {
            throw new InvalidField("pendingWindowInDays", "must be between " + MIN_DELETION_DAYS + " and "
                    + MAX_DELETION_DAYS);
        }
        Key key = findForUpdate(tenantId, keyId);
        if (key.state() == KeyState.PENDING_DELETION) {
            throw new KeyNotUsable(key, "its deletion is already scheduled for " + key.deletionDate());
        }
        return changeState(key, KeyState.PENDING_DELETION, now().plus(Duration.ofDays(days)));
    }

    /** The key comes back disabled, as it was taken out of use: enabling it is a separate, deliberate step. */
    @Transactional
    public KeyDetails cancelDeletion(String tenantId, String keyId) {
        Key key = findForUpdate(tenantId, keyId);
        if (key.state() != KeyState.PENDING_DELETION) {
            throw new KeyNotUsable(key, "no deletion is scheduled");
        }
        return changeState(key, KeyState.DISABLED, null);
    }

    public PublicKeyMaterial publicKey(String tenantId, String keyId, @Nullable Integer version) {
        Key key = find(tenantId, keyId);
        int wanted = version == null ? key.currentVersion() : version;
        KeyVersion stored = keys.version(key.keyId(), wanted)
                .orElseThrow(() -> new InvalidField("version", "must be between 1 and " + key.currentVersion()));
        if (!stored.algorithm().asymmetric()) {
            throw new InvalidField(version == null ? "keyId" : "version", "is a symmetric "
                    + stored.algorithm().apiName() + " key: it has no public key");
        }
        return new PublicKeyMaterial(key, wanted, stored.algorithm(), stored.publicKey());
    }

    /** The material of a key's current version, opened for escrow: it leaves the service only split into shares. */
    public record CurrentMaterial(UUID keyId, int version, KeyAlgorithm algorithm, byte[] material) {

        @Override
        public String toString() {
            return "CurrentMaterial[keyId=" + keyId + ", version=" + version + ", material=***]";
        }
    }

    /** The current version's material of a tenant's key, for escrow. */
    public CurrentMaterial currentMaterial(String tenantId, String keyId) {
        Key key = find(tenantId, keyId);
        KeyVersion version = keys.version(key.keyId(), key.currentVersion()).orElseThrow(KeyNotFound::new);
        return new CurrentMaterial(key.keyId(), version.version(), version.algorithm(),
                wrapping.unwrap(key.keyId(), version.version(), version.wrappedMaterial()));
    }

    /** Destroys the keys whose waiting period has passed. */
    @Scheduled(fixedDelayString = "${qnsp.kms.deletion-sweep-interval:1m}")
    @Transactional
    public int destroyDueKeys() {
        int destroyed = keys.destroyDue(now());
        if (destroyed > 0) {
            log.info("destroyed the material of {} key(s) whose deletion waiting period had passed", destroyed);
        }
        return destroyed;
    }

    Key find(String tenantId, String keyId) {
        return keys.find(tenantId, PathIds.parse(keyId, KeyNotFound::new)).orElseThrow(KeyNotFound::new);
    }

    private Key findForUpdate(String tenantId, String keyId) {
        return keys.findForUpdate(tenantId, PathIds.parse(keyId, KeyNotFound::new)).orElseThrow(KeyNotFound::new);
    }

    private KeyDetails changeState(Key key, KeyState state, @Nullable Instant deletionDate) {
        Key changed = key.withState(state, deletionDate, now());
        keys.update(changed);
        return details(changed);
    }

    private void storeVersion(Key key, int version, Cryptography.Material material, String origin, Instant now) {
        keys.insertVersion(new KeyVersion(key.keyId(), version, key.algorithm(),
                wrapping.wrap(key.keyId(), version, material.secret()), material.publicKey(), origin, now));
    }

    private KeyDetails details(Key key) {
        return new KeyDetails(key, keys.versions(key.keyId()).stream()
                .map(v -> new VersionInfo(v.version(), v.algorithm(), v.origin(), v.createdAt())).toList());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
