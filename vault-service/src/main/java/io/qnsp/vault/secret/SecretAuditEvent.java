package io.qnsp.vault.secret;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a secret's own audit log: a version written, read, deprecated, destroyed or written by a rollback.
 *
 * @param actor  the caller's principal, or {@link SecretManagement#RETENTION_SWEEPER} for the scheduled retention
 * @param reason why, when the caller gave a reason or the retention policy acted
 */
public record SecretAuditEvent(UUID eventId, String secretId, String action, int version, String actor,
                               Instant timestamp, @Nullable String reason) {

    public static final String CREATED = "created";
    public static final String READ = "read";
    public static final String DEPRECATED = "deprecated";
    public static final String DESTROYED = "destroyed";
    public static final String ROLLBACK = "rollback";
}
