package io.qnsp.vault.secret;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.kms.Envelopes;
import io.qnsp.vault.fingerprint.ValueFingerprints;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Versioned secrets: each write is the secret's next version (the first one creates the secret), values are
 * envelope-encrypted with data keys from kms-service and fingerprinted, versions move from active to deprecated to
 * destroyed, a rollback writes an old value again as a new version, and a retention policy removes old versions.
 * Every value written, read, deprecated or destroyed is in the secret's own audit log.
 *
 * <p>kms-service is asked (through {@link Envelopes}) before anything is written, so a write or read that cannot
 * reach it fails with {@code DependencyDown} and leaves nothing behind.
 */
@Service
public class SecretManagement implements StoredSecrets {

    /** A secret id: 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit (no '/'). */
    public static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** The actor the scheduled retention sweep writes into the audit log. */
    public static final String RETENTION_SWEEPER = "system:retention";
    static final int MAX_REASON = 1024;
    /** The longest deleteAfter accepted: a hundred years of 365 days. */
    static final Duration MAX_AGE = Duration.ofDays(36_500);

    private static final Logger log = LoggerFactory.getLogger(SecretManagement.class);
    private static final String SECRET_ID_RULE = "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a "
            + "letter or digit";

    private final Secrets secrets;
    private final Envelopes envelopes;
    private final ValueFingerprints fingerprints;
    private final SecretSettings settings;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    SecretManagement(Secrets secrets, Envelopes envelopes, ValueFingerprints fingerprints, SecretSettings settings,
                     JsonMapper json) {
        this.secrets = secrets;
        this.envelopes = envelopes;
        this.fingerprints = fingerprints;
        this.settings = settings;
        this.json = json;
    }

    /** A version with its value opened, for the one answer that hands it out. */
    public record Revealed(SecretVersion version, String value) {

        @Override
        public String toString() {
            return "Revealed[" + version + ", value=***]";
        }
    }

    public record RolledBack(String secretId, int newVersion, int rolledBackFrom, int rolledBackTo) {
    }

    /** One side of a comparison: the hash is keyed to the tenant and the secret, never the value's own hash. */
    public record ComparedVersion(int version, Instant createdAt, String hash) {
    }

    public record Comparison(String secretId, ComparedVersion version1, ComparedVersion version2, boolean different) {
    }

    /**
     * What a retention enforcement did.
     *
     * @param versionsDeleted  versions it removed from the history, or destroyed under {@code autoDestroy}
     * @param versionsRetained versions that still hold their value afterwards (active or deprecated)
     */
    public record Enforcement(String secretId, int versionsDeleted, int versionsRetained) {
    }

    /** What one batch of the retention sweep did: secrets enforced, versions removed or destroyed. */
    record SweepBatch(int secrets, int versionsDeleted) {
    }

    public record Statistics(long totalSecrets, long totalVersions, double averageVersionsPerSecret, long active,
                             long deprecated, long destroyed) {
    }

    // ---- writing ----

    /** Writes the value as the secret's next version, creating the secret on its first. */
    @Transactional
    public SecretVersion create(String tenantId, String actor, @Nullable String secretId, @Nullable String value,
                                @Nullable Map<String, Object> metadata) {
        InvalidField.Problems problems = new InvalidField.Problems();
        checkSecretId(secretId, problems);
        checkValue(value, problems);
        Map<String, Object> cleanMetadata = metadata(metadata, "metadata", problems);
        problems.throwIfAny();
        return write(tenantId, actor, secretId, value, cleanMetadata);
    }

    @Override
    @Transactional
    public int rotate(String tenantId, String secretId, String newValue, String reason, String actor) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (reason != null) {
            metadata.put("reason", reason);
        }
        return create(tenantId, actor, secretId, newValue, metadata).version();
    }

    private SecretVersion write(String tenantId, String actor, String secretId, String value,
                                Map<String, Object> metadata) {
        UUID versionId = UUID.randomUUID();
        // kms-service first: when it cannot be reached, nothing has been written
        Envelopes.Sealed sealed = envelopes.seal(tenantId, context(secretId, versionId), value);
        byte[] fingerprint = fingerprints.of(tenantId, value);
        Instant now = now();
        int number = secrets.nextVersion(tenantId, secretId, now);
        SecretVersion version = new SecretVersion(versionId, tenantId, secretId, number, VersionState.ACTIVE, sealed,
                fingerprint, metadata, now, actor, null);
        secrets.insertVersion(version, json.writeValueAsString(metadata));
        audit(tenantId, secretId, SecretAuditEvent.CREATED, number, actor, now, null);
        log.info("wrote version {} of secret {}", number, secretId);
        return version;
    }

    /** Writes the value of {@code targetVersion} again, as the secret's next version. */
    @Transactional
    public RolledBack rollback(String tenantId, String actor, String secretId, @Nullable Integer targetVersion,
                               @Nullable String reason) {
        InvalidField.Problems problems = new InvalidField.Problems();
        positive(targetVersion, "targetVersion", problems);
        reason(reason, problems);
        problems.throwIfAny();
        existing(tenantId, secretId, false);
        SecretVersion target = secrets.findVersion(tenantId, secretId, targetVersion, false)
                .orElseThrow(() -> new SecretVersionNotFound("targetVersion", targetVersion));
        String value = reveal(target);
        UUID versionId = UUID.randomUUID();
        Envelopes.Sealed sealed = envelopes.seal(tenantId, context(secretId, versionId), value);
        Instant now = now();
        int number = secrets.nextVersion(tenantId, secretId, now);
        // the secret is locked now: the target must still hold its value
        SecretVersion still = secrets.findVersion(tenantId, secretId, targetVersion, false)
                .orElseThrow(() -> new SecretVersionNotFound("targetVersion", targetVersion));
        if (still.state() == VersionState.DESTROYED) {
            throw new SecretVersionDestroyed(targetVersion);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("rolledBackTo", targetVersion);
        if (reason != null) {
            metadata.put("reason", reason);
        }
        SecretVersion version = new SecretVersion(versionId, tenantId, secretId, number, VersionState.ACTIVE, sealed,
                target.fingerprint(), metadata, now, actor, null);
        secrets.insertVersion(version, json.writeValueAsString(metadata));
        audit(tenantId, secretId, SecretAuditEvent.ROLLBACK, number, actor, now, reason);
        log.info("rolled secret {} back to version {} as version {}", secretId, targetVersion, number);
        return new RolledBack(secretId, number, number - 1, targetVersion);
    }

    /** Moves a version to deprecated or destroyed; destroying erases its value for good. */
    @Transactional
    public SecretVersion changeState(String tenantId, String actor, String secretId, String version,
                                     @Nullable String state, @Nullable String reason) {
        InvalidField.Problems problems = new InvalidField.Problems();
        VersionState target = null;
        if (state == null) {
            problems.add("state", "is required");
        } else {
            target = VersionState.fromApiName(state).filter(s -> s != VersionState.ACTIVE).orElse(null);
            if (target == null) {
                problems.add("state", "must be one of " + String.join(", ", VersionState.targets()));
                problems.detail("allowedValues", VersionState.targets());
            }
        }
        reason(reason, problems);
        problems.throwIfAny();
        int number = versionNumber(version);
        existing(tenantId, secretId, true);
        SecretVersion current = secrets.findVersion(tenantId, secretId, number, true)
                .orElseThrow(SecretVersionNotFound::new);
        if (!current.state().canBecome(target)) {
            throw new VersionStateConflict(number, current.state(), target);
        }
        Instant now = now();
        secrets.changeState(current.versionId(), target, now);
        audit(tenantId, secretId, target == VersionState.DESTROYED ? SecretAuditEvent.DESTROYED
                : SecretAuditEvent.DEPRECATED, number, actor, now, reason);
        log.info("version {} of secret {} is now {}", number, secretId, target.apiName());
        return current.withState(target, now);
    }

    @Override
    @Transactional
    public void retire(String tenantId, String secretId, int version, String state, @Nullable String reason,
                       String actor) {
        changeState(tenantId, actor, secretId, Integer.toString(version), state, reason);
    }

    // ---- reading ----

    /** The version with its value; the read is in the secret's audit log. */
    @Transactional
    public Revealed read(String tenantId, String actor, String secretId, String version) {
        int number = versionNumber(version);
        SecretVersion found = version(tenantId, secretId, number);
        if (found.state() == VersionState.DESTROYED) {
            throw new SecretVersionDestroyed(number);
        }
        String value = reveal(found);
        audit(tenantId, secretId, SecretAuditEvent.READ, number, actor, now(), null);
        return new Revealed(found, value);
    }

    /** The secret's versions, newest first, without their values. */
    @Transactional(readOnly = true)
    public List<SecretVersion> history(String tenantId, String secretId) {
        existing(tenantId, secretId, false);
        return secrets.versions(tenantId, secretId);
    }

    /** The secret's audit log, newest first (at most {@code qnsp.vault.secrets.audit-limit} events). */
    @Transactional(readOnly = true)
    public List<SecretAuditEvent> auditLog(String tenantId, String secretId) {
        existing(tenantId, secretId, false);
        return secrets.events(tenantId, secretId, settings.auditLimit());
    }

    /**
     * Whether two versions hold the same value, from their fingerprints: no value is opened, so destroyed versions
     * compare too.
     */
    @Transactional(readOnly = true)
    public Comparison compare(String tenantId, String secretId, @Nullable Integer version1,
                              @Nullable Integer version2) {
        InvalidField.Problems problems = new InvalidField.Problems();
        positive(version1, "version1", problems);
        positive(version2, "version2", problems);
        problems.throwIfAny();
        existing(tenantId, secretId, false);
        SecretVersion first = secrets.findVersion(tenantId, secretId, version1, false)
                .orElseThrow(() -> new SecretVersionNotFound("version1", version1));
        SecretVersion second = secrets.findVersion(tenantId, secretId, version2, false)
                .orElseThrow(() -> new SecretVersionNotFound("version2", version2));
        return new Comparison(secretId, compared(first), compared(second),
                !MessageDigest.isEqual(first.fingerprint(), second.fingerprint()));
    }

    /**
     * The hash a comparison shows: HMAC-SHA256, under the tenant's fingerprint key, of the secret's id and the
     * version's stored fingerprint. Equal values of one secret show equal hashes; the same value in another secret
     * or tenant shows another, and without the server's key no guess can be tested against it.
     */
    private ComparedVersion compared(SecretVersion version) {
        byte[] hash = fingerprints.of(version.tenantId(), "versioned-secret-compare\n" + version.secretId() + "\n"
                + Base64.getEncoder().encodeToString(version.fingerprint()));
        return new ComparedVersion(version.version(), version.createdAt(),
                Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
    }

    /** A page of the tenant's secrets, by id, and how many it has in all. No value is read. */
    public record SecretPage(List<Listed> secrets, long total) {
    }

    /** A secret in a list: its current version and how many versions its history holds. */
    public record Listed(String secretId, int currentVersion, long versions, Instant createdAt, Instant updatedAt) {
    }

    @Transactional(readOnly = true)
    public SecretPage list(String tenantId, int limit, int offset) {
        List<Listed> page = secrets.page(tenantId, limit, offset).stream()
                .map(s -> new Listed(s.secretId(), s.currentVersion(), s.versions(), s.createdAt(), s.updatedAt()))
                .toList();
        return new SecretPage(page, secrets.counts(tenantId).secrets());
    }

    @Transactional(readOnly = true)
    public Statistics statistics(String tenantId) {
        Secrets.Counts counts = secrets.counts(tenantId);
        double average = counts.secrets() == 0 ? 0
                : Math.round(100.0 * counts.versions() / counts.secrets()) / 100.0;
        return new Statistics(counts.secrets(), counts.versions(), average, counts.active(), counts.deprecated(),
                counts.destroyed());
    }

    // ---- StoredSecrets ----

    @Override
    @Transactional(readOnly = true)
    public List<VersionMatch> findByFingerprints(String tenantId, Collection<byte[]> fingerprints) {
        if (fingerprints.isEmpty()) {
            return List.of();
        }
        return secrets.findByFingerprints(tenantId, fingerprints);
    }

    @Override
    @Transactional(readOnly = true)
    public boolean exists(String tenantId, String secretId) {
        return secretId != null && SECRET_ID.matcher(secretId).matches() && secrets.exists(tenantId, secretId);
    }

    // ---- retention ----

    /** Replaces the secret's retention policy; it is enforced on demand and by the next sweeps. */
    @Transactional
    public Secret setRetention(String tenantId, String secretId, @Nullable Integer maxVersions,
                               @Nullable String deleteAfter, @Nullable Boolean autoDestroy) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (maxVersions != null && maxVersions < 1) {
            problems.add("maxVersions", "must be at least 1");
        }
        String age = deleteAfter == null ? null : deleteAfter.strip();
        if (age != null) {
            Duration duration = null;
            try {
                duration = Duration.parse(age);
            } catch (DateTimeParseException e) {
                problems.add("deleteAfter", "must be an ISO 8601 duration in days, hours, minutes or seconds, "
                        + "e.g. P30D or PT12H");
            }
            if (duration != null && (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_AGE) > 0)) {
                problems.add("deleteAfter", "must be longer than zero and at most P36500D");
            }
        }
        problems.throwIfAny();
        Secret secret = existing(tenantId, secretId, true);
        RetentionPolicy policy = new RetentionPolicy(maxVersions, age, Boolean.TRUE.equals(autoDestroy));
        Instant now = now();
        secrets.setRetention(tenantId, secretId, policy, now);
        log.info("secret {} has a new retention policy: maxVersions={}, deleteAfter={}, autoDestroy={}", secretId,
                policy.maxVersions(), policy.deleteAfter(), policy.autoDestroy());
        return new Secret(tenantId, secretId, secret.latestVersion(), secret.createdAt(), now, policy, now);
    }

    /** Enforces the secret's retention policy now. */
    @Transactional
    public Enforcement enforceRetention(String tenantId, String actor, String secretId) {
        return enforce(existing(tenantId, secretId, true), actor, now());
    }

    /**
     * Enforces the policies of up to {@code batch} secrets that are due (not swept within the sweep interval),
     * skipping those another transaction holds; how many secrets it took and how many versions it removed.
     */
    @Transactional
    SweepBatch sweepRetentionBatch(int batch) {
        Instant now = now();
        List<Secrets.SecretKey> due = secrets.claimDueForRetention(now.minus(settings.retentionSweepInterval()),
                batch);
        int removed = 0;
        for (Secrets.SecretKey key : due) {
            Secret secret = secrets.find(key.tenantId(), key.secretId(), true).orElseThrow();
            removed += enforce(secret, RETENTION_SWEEPER, now).versionsDeleted();
            secrets.markSwept(key.tenantId(), key.secretId(), now);
        }
        return new SweepBatch(due.size(), removed);
    }

    /** Enforces the policy of a secret this transaction holds locked. */
    private Enforcement enforce(Secret secret, String actor, Instant now) {
        RetentionPolicy policy = secret.retention();
        Duration age = policy.age();
        Instant cutoff = age == null ? null : now.minus(age);
        int rank = 0;
        int deleted = 0;
        int retained = 0;
        for (SecretVersion version : secrets.versions(secret.tenantId(), secret.secretId())) {
            rank++;
            boolean outOfPolicy = version.version() != secret.latestVersion()
                    && ((policy.maxVersions() != null && rank > policy.maxVersions())
                    || (cutoff != null && !version.createdAt().isAfter(cutoff)));
            if (!outOfPolicy) {
                if (version.state() != VersionState.DESTROYED) {
                    retained++;
                }
            } else if (!policy.autoDestroy()) {
                secrets.deleteVersion(version.versionId());
                audit(secret.tenantId(), secret.secretId(), SecretAuditEvent.DESTROYED, version.version(), actor, now,
                        "retention policy: removed from the history");
                deleted++;
            } else if (version.state() != VersionState.DESTROYED) {
                secrets.changeState(version.versionId(), VersionState.DESTROYED, now);
                audit(secret.tenantId(), secret.secretId(), SecretAuditEvent.DESTROYED, version.version(), actor, now,
                        "retention policy: destroyed");
                deleted++;
            }
        }
        if (deleted > 0) {
            log.info("retention of secret {} removed {} version(s), {} keep their value", secret.secretId(), deleted,
                    retained);
        }
        return new Enforcement(secret.secretId(), deleted, retained);
    }

    // ---- shared ----

    private Secret existing(String tenantId, String secretId, boolean forUpdate) {
        if (!SECRET_ID.matcher(secretId).matches()) {
            throw new SecretNotFound();
        }
        return secrets.find(tenantId, secretId, forUpdate).orElseThrow(SecretNotFound::new);
    }

    private SecretVersion version(String tenantId, String secretId, int number) {
        if (!SECRET_ID.matcher(secretId).matches()) {
            throw new SecretNotFound();
        }
        return secrets.findVersion(tenantId, secretId, number, false).orElseThrow(() -> secrets.exists(tenantId,
                secretId) ? new SecretVersionNotFound() : new SecretNotFound());
    }

    private String reveal(SecretVersion version) {
        if (version.sealed() == null) {
            throw new SecretVersionDestroyed(version.version());
        }
        return envelopes.openString(version.tenantId(), context(version.secretId(), version.versionId()),
                version.sealed());
    }

    /** Binds a sealed value to its secret and its row: copied onto another row, it does not open. */
    private static String context(String secretId, UUID versionId) {
        return "versioned-secret\n" + secretId + "\n" + versionId;
    }

    /** A version number in a path: anything but a positive integer names no version (404). */
    private static int versionNumber(String text) {
        if (text == null || text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new SecretVersionNotFound();
        }
        int number = Integer.parseInt(text);
        if (number < 1) {
            throw new SecretVersionNotFound();
        }
        return number;
    }

    private static void checkSecretId(@Nullable String secretId, InvalidField.Problems problems) {
        if (secretId == null || secretId.isEmpty()) {
            problems.add("secretId", "is required");
        } else if (!SECRET_ID.matcher(secretId).matches()) {
            problems.add("secretId", SECRET_ID_RULE);
        }
    }

    private void checkValue(@Nullable String value, InvalidField.Problems problems) {
        if (value == null) {
            problems.add("value", "is required");
        } else if (value.isEmpty()) {
            problems.add("value", "must not be empty");
        } else if (value.getBytes(StandardCharsets.UTF_8).length > settings.maxValueSize().toBytes()) {
            problems.add("value", "must be at most " + settings.maxValueSize().toBytes() + " bytes in UTF-8");
        }
    }

    private Map<String, Object> metadata(@Nullable Map<String, Object> metadata, String field,
                                         InvalidField.Problems problems) {
        if (metadata == null) {
            return Map.of();
        }
        if (json.writeValueAsString(metadata).getBytes(StandardCharsets.UTF_8).length
                > settings.maxMetadataSize().toBytes()) {
            problems.add(field, "must be at most " + settings.maxMetadataSize().toBytes() + " bytes as JSON");
        }
        return metadata;
    }

    private static void positive(@Nullable Integer number, String field, InvalidField.Problems problems) {
        if (number == null) {
            problems.add(field, "is required");
        } else if (number < 1) {
            problems.add(field, "must be a version number, at least 1");
        }
    }

    private static void reason(@Nullable String reason, InvalidField.Problems problems) {
        if (reason != null && reason.length() > MAX_REASON) {
            problems.add("reason", "must be at most " + MAX_REASON + " characters");
        }
    }

    private void audit(String tenantId, String secretId, String action, int version, String actor, Instant at,
                       @Nullable String reason) {
        secrets.insertEvent(tenantId, new SecretAuditEvent(UUID.randomUUID(), secretId, action, version, actor, at,
                reason));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
