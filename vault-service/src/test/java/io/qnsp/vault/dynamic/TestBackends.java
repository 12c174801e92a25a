package io.qnsp.vault.dynamic;

import io.qnsp.test.infra.TestPostgres;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The database servers the dynamic secrets tests make accounts on. PostgreSQL is the tests' own server (embedded,
 * or {@code QNSP_TEST_POSTGRES_URL}): a database of its own holding a table {@code inventory}, and administrative
 * roles with {@code CREATEROLE} and a password. The embedded server trusts every login, so roles named
 * {@code qv_*} (every role these tests make) are switched to password logins in its {@code pg_hba.conf}: only then
 * do passwords and {@code VALID UNTIL} mean anything. MySQL or MariaDB is the one named by
 * {@code QNSP_TEST_MYSQL_URL} ({@code _USER}, {@code _PASSWORD}), else {@code 127.0.0.1:3306} as root without a
 * password, else none: its tests are then skipped.
 */
final class TestBackends {

    static final String PREFIX = "qv_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static PostgresServer postgres;
    private static MysqlServer mysql;
    private static String mysqlMissing;
    /** The MySQL server is not the tests' own: what they made there is removed when the JVM ends. */
    private static final List<String> MYSQL_ADMINS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private TestBackends() {
    }

    /** A fresh random name part: lowercase letters and digits. */
    static String random(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < length; i++) {
            value.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return value.toString();
    }

    static String password() {
        return "Pw-" + random(24);
    }

    // ---- PostgreSQL ----

    /**
     * The test server's backend database, and as many administrative roles as asked for.
     *
     * @param url the backend database's JDBC URL, without account
     */
    record PostgresServer(String url, String host, int port, String database, String superUser,
                          String superPassword) {

        Connection asSuperuser() throws SQLException {
            return DriverManager.getConnection(url, superUser, superPassword);
        }

        Connection asSuperuser(String otherUrl) throws SQLException {
            return DriverManager.getConnection(otherUrl, superUser, superPassword);
        }

        /** Logs in as the account; fails as PostgreSQL refuses. */
        Connection login(String user, String password) throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("user", user);
            properties.setProperty("password", password);
            properties.setProperty("connectTimeout", "5");
            return DriverManager.getConnection(url, properties);
        }

        boolean roleExists(String role) throws SQLException {
            try (Connection db = asSuperuser(); var query = db.prepareStatement(
                    "SELECT 1 FROM pg_roles WHERE rolname = ?")) {
                query.setString(1, role);
                try (ResultSet row = query.executeQuery()) {
                    return row.next();
                }
            }
        }

        /** A new administrative role: {@code CREATEROLE}, a password, and SELECT and INSERT on inventory to grant. */
        Admin admin() {
            String name = PREFIX + "admin_" + random(10);
            String password = password();
            try (Connection db = asSuperuser(); Statement s = db.createStatement()) {
                s.execute("CREATE ROLE " + name + " LOGIN CREATEROLE PASSWORD '" + password + "'");
                s.execute("GRANT SELECT, INSERT ON inventory TO " + name + " WITH GRANT OPTION");
            } catch (SQLException e) {
                throw new IllegalStateException("could not create an administrative role", e);
            }
            return new Admin(name, password);
        }

        /** A role that may log in but not create roles. */
        Admin unprivileged() {
            String name = PREFIX + "plain_" + random(10);
            String password = password();
            try (Connection db = asSuperuser(); Statement s = db.createStatement()) {
                s.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
            } catch (SQLException e) {
                throw new IllegalStateException("could not create a role", e);
            }
            return new Admin(name, password);
        }
    }

    record Admin(String user, String password) {

        @Override
        public String toString() {
            return "Admin[" + user + "]";
        }
    }

    static synchronized PostgresServer postgres() {
        if (postgres == null) {
            TestPostgres server = TestPostgres.shared();
            try {
                if (server.isEmbedded()) {
                    requirePasswordsForTestRoles(server);
                }
                String url = server.createDatabase("qv_backend");
                try (Connection db = DriverManager.getConnection(url, server.user(), server.password());
                     Statement s = db.createStatement()) {
                    s.execute("CREATE TABLE inventory (id INT PRIMARY KEY, item TEXT NOT NULL)");
                    s.execute("INSERT INTO inventory VALUES (1, 'hammer'), (2, 'saw')");
                }
                URI uri = URI.create(url.substring("jdbc:".length()));
                postgres = new PostgresServer(url, uri.getHost(), uri.getPort(), uri.getPath().substring(1),
                        server.user(), server.password());
            } catch (SQLException | IOException e) {
                throw new IllegalStateException("could not prepare the PostgreSQL backend", e);
            }
        }
        return postgres;
    }

    private static void requirePasswordsForTestRoles(TestPostgres server) throws SQLException, IOException {
        String admin = server.jdbcUrl("postgres");
        try (Connection db = DriverManager.getConnection(admin, server.user(), server.password());
             Statement s = db.createStatement()) {
            Path hba;
            try (ResultSet row = s.executeQuery("SHOW hba_file")) {
                row.next();
                hba = Path.of(row.getString(1));
            }
            String current = Files.readString(hba);
            String marker = "# qnsp vault dynamic secrets tests";
            if (!current.contains(marker)) {
                Files.writeString(hba, marker + "\nhost all /^" + PREFIX + " all scram-sha-256\n" + current);
                s.execute("SELECT pg_reload_conf()");
            }
        }
        // the reload is asynchronous: wait until a wrong password is refused
        String probe = PREFIX + "hba_" + random(8);
        try (Connection db = DriverManager.getConnection(admin, server.user(), server.password());
             Statement s = db.createStatement()) {
            s.execute("CREATE ROLE " + probe + " LOGIN PASSWORD 'right-" + random(8) + "'");
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try (Connection ignored = DriverManager.getConnection(admin, probe, "wrong")) {
                return false;
            } catch (SQLException refused) {
                return true;
            }
        });
        try (Connection db = DriverManager.getConnection(admin, server.user(), server.password());
             Statement s = db.createStatement()) {
            s.execute("DROP ROLE " + probe);
        }
    }

    // ---- MySQL / MariaDB ----

    record MysqlServer(String host, int port, String database, String rootUser, String rootPassword) {

        String url() {
            return "jdbc:mariadb://" + host + ":" + port + "/" + database;
        }

        Connection asRoot() throws SQLException {
            return DriverManager.getConnection(url(), rootUser, rootPassword);
        }

        Connection login(String user, String password) throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("user", user);
            properties.setProperty("password", password);
            properties.setProperty("connectTimeout", "5000");
            return DriverManager.getConnection(url(), properties);
        }

        boolean accountExists(String user) throws SQLException {
            try (Connection db = asRoot(); var query = db.prepareStatement(
                    "SELECT 1 FROM mysql.user WHERE User = ?")) {
                query.setString(1, user);
                try (ResultSet row = query.executeQuery()) {
                    return row.next();
                }
            }
        }

        /** An account that may create accounts, see and end their sessions, and grant SELECT and INSERT. */
        Admin admin() {
            String name = PREFIX + "adm_" + random(10);
            String password = password();
            try (Connection db = asRoot(); Statement s = db.createStatement()) {
                s.execute("CREATE USER '" + name + "'@'%' IDENTIFIED BY '" + password + "'");
                s.execute("GRANT CREATE USER, PROCESS ON *.* TO '" + name + "'@'%'");
                grantFirst(s, name, "CONNECTION ADMIN", "CONNECTION_ADMIN", "SUPER");
                s.execute("GRANT SELECT, INSERT ON " + database + ".* TO '" + name + "'@'%' WITH GRANT OPTION");
                MYSQL_ADMINS.add(name);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create a MySQL administrative account", e);
            }
            return new Admin(name, password);
        }

        private static void grantFirst(Statement s, String name, String... privileges) throws SQLException {
            SQLException last = null;
            for (String privilege : privileges) {
                try {
                    s.execute("GRANT " + privilege + " ON *.* TO '" + name + "'@'%'");
                    return;
                } catch (SQLException e) {
                    last = e;
                }
            }
            throw last;
        }
    }

    /** The MySQL or MariaDB server, or null with {@link #mysqlMissing()} saying why. */
    static synchronized MysqlServer mysql() {
        if (mysql == null && mysqlMissing == null) {
            String url = System.getenv("QNSP_TEST_MYSQL_URL");
            String user = System.getenv().getOrDefault("QNSP_TEST_MYSQL_USER", "root");
            String password = System.getenv().getOrDefault("QNSP_TEST_MYSQL_PASSWORD", "");
            String host = "127.0.0.1";
            int port = 3306;
            if (url != null && !url.isBlank()) {
                URI uri = URI.create(url.replaceFirst("^jdbc:", ""));
                host = uri.getHost();
                port = uri.getPort() > 0 ? uri.getPort() : 3306;
            }
            Properties properties = new Properties();
            properties.setProperty("user", user);
            properties.setProperty("password", password);
            properties.setProperty("connectTimeout", "2000");
            String database = "qv_" + random(10);
            try (Connection db = DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/",
                    properties); Statement s = db.createStatement()) {
                s.execute("CREATE DATABASE " + database);
                s.execute("CREATE TABLE " + database + ".inventory (id INT PRIMARY KEY, item TEXT NOT NULL)");
                s.execute("INSERT INTO " + database + ".inventory VALUES (1, 'hammer'), (2, 'saw')");
                MysqlServer server = new MysqlServer(host, port, database, user, password);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> cleanUp(server), "mysql-test-cleanup"));
                mysql = server;
            } catch (SQLException e) {
                mysqlMissing = "no MySQL or MariaDB server at " + host + ":" + port + " for account " + user
                        + " (set QNSP_TEST_MYSQL_URL, _USER and _PASSWORD to name one): SQLSTATE " + e.getSQLState();
            }
        }
        return mysql;
    }

    private static void cleanUp(MysqlServer server) {
        try (Connection db = server.asRoot(); Statement s = db.createStatement()) {
            for (String admin : MYSQL_ADMINS) {
                s.execute("DROP USER IF EXISTS '" + admin + "'@'%'");
            }
            s.execute("DROP DATABASE IF EXISTS " + server.database());
        } catch (SQLException ignored) {
            // the server went away first: nothing to clean
        }
    }

    static String mysqlMissing() {
        return mysqlMissing;
    }
}
