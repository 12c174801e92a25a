package io.qnsp.kms;

/** The OAuth2 scopes of the KMS API; a caller with the admin role (or the {@code admin} scope) holds all of them. */
public final class KmsScopes {

    /** Read keys, their public halves, the usage analytics and the crypto-agility reports. */
    public static final String READ = "kms:read";
    /** Create, rotate, enable, disable and delete keys; manage alert rules and migration plans. */
    public static final String WRITE = "kms:write";
    /** Use keys: encrypt, decrypt, sign, verify, encapsulate, decapsulate, generate data keys. */
    public static final String USE = "kms:use";

    private KmsScopes() {
    }
}
