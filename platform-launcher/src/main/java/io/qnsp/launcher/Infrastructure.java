package io.qnsp.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PostgreSQL and Redis for the platform: external servers when {@code QNSP_DB_URL} / {@code QNSP_REDIS_URL} are
 * set, otherwise embedded ones whose data lives in the platform's home, so a restart loses nothing.
 */
final class Infrastructure implements AutoCloseable {

    private static final String DATABASE = "qnsp";

    private final EmbeddedPostgres postgres;
    private final RedisServer redis;
    private final Map<String, String> environment;

    private Infrastructure(EmbeddedPostgres postgres, RedisServer redis, Map<String, String> environment) {
        this.postgres = postgres;
        this.redis = redis;
        this.environment = environment;
    }

    static Infrastructure start(Path home) throws IOException, SQLException {
        Map<String, String> environment = new LinkedHashMap<>();
        EmbeddedPostgres postgres = null;
        String dbUrl = System.getenv("QNSP_DB_URL");
        if (dbUrl == null || dbUrl.isBlank()) {
            int port = Integer.parseInt(System.getenv().getOrDefault("QNSP_DB_PORT", "55432"));
            System.out.println("Starting embedded PostgreSQL on port " + port + "…");
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(home.resolve("postgres"))
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    // the embedded defaults favour test speed; platform data must survive a crash
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            createDatabaseIfMissing(postgres.getJdbcUrl("postgres", "postgres"));
            environment.put("QNSP_DB_URL", "jdbc:postgresql://localhost:" + port + "/" + DATABASE);
            environment.put("QNSP_DB_USER", "postgres");
            environment.put("QNSP_DB_PASSWORD", "postgres");
        } else {
            environment.put("QNSP_DB_URL", dbUrl);
            environment.put("QNSP_DB_USER", System.getenv().getOrDefault("QNSP_DB_USER", "postgres"));
            environment.put("QNSP_DB_PASSWORD", System.getenv().getOrDefault("QNSP_DB_PASSWORD", ""));
        }
        RedisServer redis = null;
        String redisUrl = System.getenv("QNSP_REDIS_URL");
        if (redisUrl == null || redisUrl.isBlank()) {
            int port = Integer.parseInt(System.getenv().getOrDefault("QNSP_REDIS_PORT", "56379"));
            Path dir = Files.createDirectories(home.resolve("redis"));
            System.out.println("Starting embedded Redis on port " + port + "…");
            redis = RedisServer.newRedisServer()
                    .port(port)
                    .setting("bind 127.0.0.1")
                    .setting("dir " + dir)
                    .setting("appendonly yes")
                    .build();
            redis.start();
            environment.put("QNSP_REDIS_URL", "redis://localhost:" + port);
        } else {
            environment.put("QNSP_REDIS_URL", redisUrl);
        }
        return new Infrastructure(postgres, redis, environment);
    }

    private static void createDatabaseIfMissing(String adminUrl) throws SQLException {
        try (Connection connection = DriverManager.getConnection(adminUrl);
             Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (exists.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE);
        }
    }

    Map<String, String> environment() {
        return environment;
    }

    String describePostgres() {
        return (postgres != null ? "embedded, " : "external, ") + environment.get("QNSP_DB_URL");
    }

    String describeRedis() {
        return (redis != null ? "embedded, " : "external, ") + environment.get("QNSP_REDIS_URL");
    }

    @Override
    public void close() {
        if (redis != null) {
            try {
                redis.stop();
            } catch (IOException e) {
                System.err.println("could not stop embedded Redis: " + e.getMessage());
            }
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("could not stop embedded PostgreSQL: " + e.getMessage());
            }
        }
    }
}
