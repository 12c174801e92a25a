package io.qnsp.cryptoinventory;

/** The OAuth2 scopes of the crypto inventory API; a caller with the admin role holds every scope. */
public final class CryptoScopes {

    /** Read the tenant's inventory, deprecation reports, hardware summary and PQC readiness. */
    public static final String READ = "crypto:read";
    /** Create deprecation policies, register hardware and record its health. */
    public static final String WRITE = "crypto:write";
    /**
     * The inventory's kms keys are read from kms-service with the caller's own token, so reports built on them need
     * the caller to hold kms-service's read scope too.
     */
    public static final String KMS_READ = "kms:read";

    private CryptoScopes() {
    }
}
