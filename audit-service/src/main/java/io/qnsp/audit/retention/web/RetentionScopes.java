package io.qnsp.audit.retention.web;

/** The OAuth2 scope of the retention API; a caller with the admin role (or the {@code admin} scope) holds it. */
final class RetentionScopes {

    /** Read policies, preview them and read the metrics; with the admin role also manage policies and clean up. */
    static final String RETENTION = "audit:retention";

    private RetentionScopes() {
    }
}
