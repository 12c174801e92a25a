package io.qnsp.vault;

/** The OAuth2 scopes of the vault API; a caller with the admin role (or the {@code admin} scope) holds all of them. */
public final class VaultScopes {

    /**
     * Read what is stored about secrets without their values: version histories, audit logs, statistics, dynamic
     * secret configurations and leases, leak-detection policies, incidents and scans.
     */
    public static final String READ = "vault:read";
    /** Change secrets and the vault's configuration: new versions, states, rollbacks, retention, configs, policies. */
    public static final String WRITE = "vault:write";
    /**
     * Use secrets: read a version's value, generate dynamic credentials. Kept apart from {@link #READ} so that a
     * dashboard can show what exists without being able to read what it holds.
     */
    public static final String USE = "vault:use";

    private VaultScopes() {
    }
}
