package io.qnsp.audit.events;

/** The OAuth2 scopes of the audit API (spec 002's "entitlements"); the admin role or {@code admin} scope holds all. */
public final class AuditScopes {

    /** Query stored audit events. */
    public static final String READ = "audit:read";
    /** Manage streaming subscriptions, open the live stream and read its metrics. */
    public static final String STREAM = "audit:stream";
    /** Manage retention policies, preview, clean up and read retention metrics. */
    public static final String RETENTION = "audit:retention";

    private AuditScopes() {
    }
}
