package io.qnsp.vault.dynamic;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** What the PostgreSQL and MySQL backends share: connecting with driver properties, and running statements. */
abstract class JdbcBackend implements DatabaseBackend {

    private static final String PROBE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    protected final DynamicSecretSettings settings;

    JdbcBackend(DynamicSecretSettings settings) {
        this.settings = settings;
    }

    /** The driver's properties: the account, timeouts and the accepted options; nothing taken from the caller's URL. */
    abstract Properties properties(BackendConnection backend);

    Connection open(BackendConnection backend) throws BackendFailure {
        if (backend.type() != type()) {
            throw new IllegalArgumentException("a " + backend.type().value() + " connection given to the "
                    + type().value() + " backend");
        }
        try {
            return DriverManager.getConnection(backend.jdbcUrl(), properties(backend));
        } catch (SQLException e) {
            throw BackendFailure.connecting(e);
        }
    }

    static void execute(Connection db, String sql, BackendFailure.Reason reason, int statement)
            throws BackendFailure {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw BackendFailure.statement(e, reason, statement);
        }
    }

    /** Runs the template's statements for the account, numbered from 1 in failures. */
    static void grant(Connection db, RoleTemplate grants, String quotedAccount) throws BackendFailure {
        int n = 0;
        for (String sql : grants.render(quotedAccount)) {
            execute(db, sql, BackendFailure.Reason.ROLE_TEMPLATE_FAILED, ++n);
        }
    }

    /** A throwaway account name for {@link #verify}. */
    static String probeName() {
        StringBuilder name = new StringBuilder("qnsp_probe_");
        for (int i = 0; i < 12; i++) {
            name.append(PROBE_ALPHABET.charAt(RANDOM.nextInt(PROBE_ALPHABET.length())));
        }
        return name.toString();
    }

    static void rollbackQuietly(Connection db) {
        try {
            if (!db.isClosed() && !db.getAutoCommit()) {
                db.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is closed next; the server rolls back what is left
        }
    }

    /** A backend answer the vault cannot make sense of, reported like any failed statement. */
    static SQLException unexpected(String what) {
        return new SQLException(what);
    }

    /** A name the vault made, checked once more before it is quoted into SQL. */
    static String checkedName(String username) {
        if (!UsernameTemplate.USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("not a username the vault makes");
        }
        return username;
    }
}
