package io.qnsp.vault.dynamic;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Properties;

/**
 * PostgreSQL: a lease is a login role with a password (sent as a SCRAM-SHA-256 verifier the vault computes) and
 * {@code VALID UNTIL} its expiry, which PostgreSQL itself enforces for password logins. The administrative account
 * needs {@code CREATEROLE} (or superuser); on PostgreSQL 16 and later the vault makes it an inheriting member of
 * each role it creates ({@code createrole_self_grant}), on older ones it grants the role to it, so that it may end
 * the role's sessions and reassign and drop what the role owns. Revocation: {@code NOLOGIN}, then
 * {@code pg_terminate_backend} on each of the role's sessions (waiting for them to end), then
 * {@code REASSIGN OWNED} to the administrative account (objects the role made are kept), {@code DROP OWNED}
 * (its privileges) and {@code DROP ROLE}.
 */
@Component
class PostgresBackend extends JdbcBackend {

    private static final Logger log = LoggerFactory.getLogger(PostgresBackend.class);
    private static final int VERSION_16 = 160_000;
    private static final int VERSION_14 = 140_000;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_INSTANT;

    PostgresBackend(DynamicSecretSettings settings) {
        super(settings);
    }

    @Override
    public BackendType type() {
        return BackendType.POSTGRES;
    }

    @Override
    Properties properties(BackendConnection backend) {
        Properties properties = new Properties();
        properties.setProperty("user", backend.username());
        properties.setProperty("password", backend.password());
        properties.setProperty("connectTimeout", seconds(settings.connectTimeout()));
        properties.setProperty("loginTimeout", seconds(settings.connectTimeout()));
        properties.setProperty("socketTimeout", seconds(settings.socketTimeout()));
        properties.setProperty("ApplicationName", "qnsp-vault");
        backend.options().forEach(properties::setProperty);
        return properties;
    }

    @Override
    public void verify(BackendConnection backend, RoleTemplate grants) throws BackendFailure {
        try (Connection db = open(backend)) {
            try {
                db.setAutoCommit(false);
                Admin admin = admin(db);
                if (!admin.superuser() && !admin.createRole()) {
                    throw new BackendFailure(BackendFailure.Reason.INSUFFICIENT_PRIVILEGE);
                }
                String probe = probeName();
                createRole(db, admin, probe, "NOLOGIN");
                grant(db, grants, identifier(probe));
            } finally {
                // nothing of the check stays: PostgreSQL's roles and grants are transactional
                rollbackQuietly(db);
            }
        } catch (SQLException e) {
            throw BackendFailure.statement(e, BackendFailure.Reason.STATEMENT_FAILED, 0);
        }
    }

    @Override
    public void create(BackendConnection backend, String username, String password, Instant expiresAt,
                       RoleTemplate grants) throws BackendFailure {
        String role = identifier(checkedName(username));
        try (Connection db = open(backend)) {
            try {
                db.setAutoCommit(false);
                Admin admin = admin(db);
                createRole(db, admin, username, "LOGIN PASSWORD " + literal(PasswordVerifiers.scramSha256(password))
                        + " VALID UNTIL " + literal(timestamp(expiresAt)));
                grant(db, grants, role);
                db.commit();
            } finally {
                rollbackQuietly(db);
            }
        } catch (SQLException e) {
            throw BackendFailure.statement(e, BackendFailure.Reason.STATEMENT_FAILED, 0);
        }
    }

    @Override
    public void extend(BackendConnection backend, String username, Instant expiresAt) throws BackendFailure {
        try (Connection db = open(backend)) {
            execute(db, "ALTER ROLE " + identifier(checkedName(username)) + " VALID UNTIL "
                    + literal(timestamp(expiresAt)), BackendFailure.Reason.STATEMENT_FAILED, 0);
        } catch (SQLException e) {
            throw BackendFailure.statement(e, BackendFailure.Reason.STATEMENT_FAILED, 0);
        }
    }

    @Override
    public void drop(BackendConnection backend, String username) throws BackendFailure {
        String role = identifier(checkedName(username));
        try (Connection db = open(backend)) {
            if (!exists(db, username)) {
                return;
            }
            execute(db, "ALTER ROLE " + role + " NOLOGIN", BackendFailure.Reason.STATEMENT_FAILED, 0);
            int ended = terminate(db, username);
            db.setAutoCommit(false);
            try {
                execute(db, "REASSIGN OWNED BY " + role + " TO CURRENT_USER", BackendFailure.Reason.STATEMENT_FAILED,
                        0);
                execute(db, "DROP OWNED BY " + role, BackendFailure.Reason.STATEMENT_FAILED, 0);
                execute(db, "DROP ROLE " + role, BackendFailure.Reason.STATEMENT_FAILED, 0);
                db.commit();
            } finally {
                rollbackQuietly(db);
            }
            log.debug("Dropped PostgreSQL role {} after ending {} session(s)", username, ended);
        } catch (SQLException e) {
            throw BackendFailure.statement(e, BackendFailure.Reason.STATEMENT_FAILED, 0);
        }
    }

    private record Admin(boolean superuser, boolean createRole, int version) {
    }

    private static Admin admin(Connection db) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT rolsuper, rolcreaterole, "
                + "current_setting('server_version_num')::int FROM pg_roles WHERE rolname = current_user");
             ResultSet row = query.executeQuery()) {
            if (!row.next()) {
                throw unexpected("the current user has no pg_roles row");
            }
            return new Admin(row.getBoolean(1), row.getBoolean(2), row.getInt(3));
        }
    }

    /** Creates the role so that the administrative account holds its privileges (needed to end and drop it). */
    private static void createRole(Connection db, Admin admin, String name, String options) throws BackendFailure {
        String role = identifier(name);
        if (!admin.superuser() && admin.version() >= VERSION_16) {
            execute(db, "SET LOCAL createrole_self_grant = 'set, inherit'", BackendFailure.Reason.STATEMENT_FAILED,
                    0);
        }
        execute(db, "CREATE ROLE " + role + " WITH " + options, BackendFailure.Reason.STATEMENT_FAILED, 0);
        if (!admin.superuser() && admin.version() < VERSION_16) {
            execute(db, "GRANT " + role + " TO CURRENT_USER", BackendFailure.Reason.STATEMENT_FAILED, 0);
        }
    }

    private static boolean exists(Connection db, String username) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            query.setString(1, username);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Ends the role's sessions, waiting up to the socket timeout for each to be gone where the server can wait. */
    private int terminate(Connection db, String username) throws SQLException {
        Admin admin = admin(db);
        String call = admin.version() >= VERSION_14 ? "pg_terminate_backend(pid, ?)" : "pg_terminate_backend(pid)";
        try (PreparedStatement query = db.prepareStatement("SELECT " + call + " FROM pg_stat_activity "
                + "WHERE usename = ? AND pid <> pg_backend_pid()")) {
            int parameter = 1;
            if (admin.version() >= VERSION_14) {
                query.setLong(parameter++, Math.max(1, settings.socketTimeout().toMillis() / 2));
            }
            query.setString(parameter, username);
            int ended = 0;
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ended++;
                }
            }
            return ended;
        }
    }

    /** A quoted identifier: {@code "name"}, with any {@code "} doubled. */
    static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A standard string literal; the values the vault quotes hold no backslash, and one would be refused. */
    static String literal(String value) {
        if (value.indexOf('\\') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a literal with a backslash or NUL");
        }
        return '\'' + value.replace("'", "''") + '\'';
    }

    private static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    private static String seconds(java.time.Duration duration) {
        return Long.toString(Math.max(1, (duration.toMillis() + 999) / 1000));
    }
}
