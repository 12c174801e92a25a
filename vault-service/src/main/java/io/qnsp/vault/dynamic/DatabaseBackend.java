package io.qnsp.vault.dynamic;

import java.time.Instant;

/**
 * A kind of database server on which the vault creates, extends and drops the accounts of leases. Every call opens
 * its own connection with the config's administrative account and closes it: leases are made and ended rarely
 * compared with the cost of keeping a pool per config.
 */
interface DatabaseBackend {

    BackendType type();

    /**
     * What a config's creation checks: the backend answers, takes the credentials, lets them create an account,
     * and the role template's grants apply to one. Leaves nothing behind.
     */
    void verify(BackendConnection backend, RoleTemplate grants) throws BackendFailure;

    /** Creates the account with the password and grants; on failure, nothing of it is left. */
    void create(BackendConnection backend, String username, String password, Instant expiresAt, RoleTemplate grants)
            throws BackendFailure;

    /** Moves the account's expiry where the backend keeps one. */
    void extend(BackendConnection backend, String username, Instant expiresAt) throws BackendFailure;

    /** Refuses new logins, ends the account's sessions and drops it; nothing when it does not exist. */
    void drop(BackendConnection backend, String username) throws BackendFailure;
}
