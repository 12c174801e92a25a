package io.qnsp.audit.webhook;

/** The scopes of the DataHub webhook API (spec 003); the admin role or {@code admin} scope holds both. */
public final class WebhookScopes {

    /** List and read webhooks and their delivery history. */
    public static final String READ = "read:webhooks";
    /** Create, change, delete and test webhooks. */
    public static final String WRITE = "write:webhooks";

    private WebhookScopes() {
    }
}
