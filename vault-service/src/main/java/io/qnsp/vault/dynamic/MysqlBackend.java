package io.qnsp.vault.dynamic;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * MySQL and MariaDB (through MariaDB's driver): a lease is an account {@code 'name'@'%'}. Neither server has an
 * expiry time for an account ({@code PASSWORD EXPIRE INTERVAL} counts whole days and lets an expired account log in
 * to change its password), so the account lives until the sweeper drops it: at most one sweep interval after the
 * lease's {@code expiresAt}, longer only while the server cannot be reached. On MariaDB the password is sent as its
 * {@code mysql_native_password} hash; MySQL gets it in {@code IDENTIFIED BY} and keeps it out of its own logs. The
 * administrative account needs {@code CREATE USER}, {@code PROCESS} (to see other accounts' sessions) and
 * {@code CONNECTION ADMIN} or {@code SUPER} (to end them), and what the role template grants, with grant option.
 * Revocation: {@code ACCOUNT LOCK}, {@code KILL CONNECTION} for each of the account's sessions, {@code DROP USER}.
 */
@Component
class MysqlBackend extends JdbcBackend {

    private static final Logger log = LoggerFactory.getLogger(MysqlBackend.class);
    /** The characters a password or hash the vault quotes may hold: no quote, backslash or space. */
    private static final Pattern SAFE_LITERAL = Pattern.compile("[A-Za-z0-9*_.~!#%+-]+");
    private static final int UNKNOWN_THREAD = 1094;

    MysqlBackend(DynamicSecretSettings settings) {
        super(settings);
    }

    @Override
    public BackendType type() {
        return BackendType.MYSQL;
    }

    @Override
    Properties properties(BackendConnection backend) {
        Properties properties = new Properties();
        properties.setProperty("user", backend.username());
        properties.setProperty("password", backend.password());
        properties.setProperty("connectTimeout", Long.toString(settings.connectTimeout().toMillis()));
        properties.setProperty("socketTimeout", Long.toString(settings.socketTimeout().toMillis()));
        // the server must never make the vault read a local file
        properties.setProperty("allowLocalInfile", "false");
        properties.setProperty("allowMultiQueries", "false");
        backend.options().forEach(properties::setProperty);
        return properties;
    }

    @Override
    public void verify(BackendConnection backend, RoleTemplate grants) throws BackendFailure {
        try (Connection db = open(backend)) {
            Set<String> privileges = globalPrivileges(db);
            boolean kills = privileges.contains("SUPER") || privileges.contains("CONNECTION ADMIN")
                    || privileges.contains("CONNECTION_ADMIN");
            if (!privileges.contains("CREATE USER") || !privileges.contains("PROCESS") || !kills) {
                throw new BackendFailure(BackendFailure.Reason.INSUFFICIENT_PRIVILEGE);
            }
            String probe = probeName();
            execute(db, "CREATE USER " + account(probe) + " ACCOUNT LOCK", BackendFailure.Reason.STATEMENT_FAILED, 0);
            try {
                grant(db, grants, account(probe));
            } finally {
                dropQuietly(db, probe);
            }
        } catch (SQLException e) {
            throw BackendFailure.statement(e, BackendFailure.Reason.STATEMENT_FAILED, 0);
        }
    }

    @Override
    public void create(BackendConnection backend, String username, String password, Instant expiresAt,
                       RoleTemplate grants) throws BackendFailure {
        String account = account(checkedName(username));
        try (Connection db = open(backend)) {
            String identified = mariadb(db) ? "IDENTIFIED BY PASSWORD " + literal(PasswordVerifiers.mysqlNative(password))
                    : "IDENTIFIED BY " + literal(password);
            // account statements commit on their own here: a failure after CREATE USER drops the account again
            execute(db, "CREATE USER " + account + " " + identified, BackendFailure.Reason.STATEMENT_FAILED, 0);
            boolean done = false;
            try {
                grant(db, grants, account);
                done = true;
            } finally {
                if (!done) {
                    dropQuietly(db, username);
                }
            }
        } catch (SQLException e) {
            throw BackendFailure.statement(e, BackendFailure.Reason.STATEMENT_FAILED, 0);
        }
    }

    @Override
    public void extend(BackendConnection backend, String username, Instant expiresAt) {
        // no expiry on the server: the lease's expiresAt is what the sweeper acts on
    }

    @Override
    public void drop(BackendConnection backend, String username) throws BackendFailure {
        String account = account(checkedName(username));
        try (Connection db = open(backend)) {
            execute(db, "ALTER USER IF EXISTS " + account + " ACCOUNT LOCK", BackendFailure.Reason.STATEMENT_FAILED, 0);
            List<Long> sessions = new ArrayList<>();
            try (PreparedStatement query = db.prepareStatement(
                    "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?")) {
                query.setString(1, username);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        sessions.add(rows.getLong(1));
                    }
                }
            }
            for (long session : sessions) {
                try (var kill = db.createStatement()) {
                    kill.execute("KILL CONNECTION " + session);
                } catch (SQLException e) {
                    if (e.getErrorCode() != UNKNOWN_THREAD) {
                        throw BackendFailure.statement(e, BackendFailure.Reason.STATEMENT_FAILED, 0);
                    }
                }
            }
            execute(db, "DROP USER IF EXISTS " + account, BackendFailure.Reason.STATEMENT_FAILED, 0);
            log.debug("Dropped MySQL account {} after ending {} session(s)", username, sessions.size());
        } catch (SQLException e) {
            throw BackendFailure.statement(e, BackendFailure.Reason.STATEMENT_FAILED, 0);
        }
    }

    private static Set<String> globalPrivileges(Connection db) throws SQLException {
        Set<String> privileges = new HashSet<>();
        try (PreparedStatement query = db.prepareStatement("SELECT PRIVILEGE_TYPE FROM information_schema."
                + "USER_PRIVILEGES WHERE GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', "
                + "SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                privileges.add(rows.getString(1));
            }
        }
        return privileges;
    }

    private static boolean mariadb(Connection db) throws SQLException {
        try (var query = db.createStatement(); ResultSet row = query.executeQuery("SELECT VERSION()")) {
            return row.next() && row.getString(1).contains("MariaDB");
        }
    }

    private static void dropQuietly(Connection db, String username) {
        try (var drop = db.createStatement()) {
            drop.execute("DROP USER IF EXISTS " + account(username));
        } catch (SQLException e) {
            log.warn("Could not drop MySQL account {} after a failed creation (SQLSTATE {})", username,
                    e.getSQLState());
        }
    }

    /** The account as MySQL quotes it: {@code 'name'@'%'}; names are only ever {@code [a-z0-9_]}. */
    static String account(String username) {
        return literal(checkedName(username)) + "@'%'";
    }

    /** A string literal of a value that needs no escaping; anything else is refused rather than escaped. */
    static String literal(String value) {
        if (!SAFE_LITERAL.matcher(value).matches()) {
            throw new IllegalArgumentException("a value with characters MySQL literals would need escaped");
        }
        return '\'' + value + '\'';
    }
}
