package io.qnsp.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.io.BufferedReader;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL and Redis for the platform: external servers when {@code QNSP_DB_URL} / {@code QNSP_REDIS_URL} are
 * set, otherwise embedded ones whose data lives in the platform's home, so a restart loses nothing, and whose output
 * goes to {@code postgres.log} and {@code redis.log} in its log directory.
 */
final class Infrastructure implements AutoCloseable {

    private static final String DATABASE = "qnsp";

    private final EmbeddedPostgres postgres;
    private final Process redis;
    private final PrintStream redisLog;
    private final Map<String, String> environment;

    private Infrastructure(EmbeddedPostgres postgres, Process redis, PrintStream redisLog,
                          Map<String, String> environment) {
        this.postgres = postgres;
        this.redis = redis;
        this.redisLog = redisLog;
        this.environment = environment;
    }

    static Infrastructure start(Path home) throws IOException {
        Path logs = PlatformHome.logs(home);
        String dbUrl = System.getenv("QNSP_DB_URL");
        boolean embeddedPostgres = dbUrl == null || dbUrl.isBlank();
        int postgresPort = Integer.parseInt(System.getenv().getOrDefault("QNSP_DB_PORT", "55432"));
        String redisUrl = System.getenv("QNSP_REDIS_URL");
        boolean embeddedRedis = redisUrl == null || redisUrl.isBlank();
        int redisPort = Integer.parseInt(System.getenv().getOrDefault("QNSP_REDIS_PORT", "56379"));
        if (embeddedPostgres) {
            Ports.requireFree(postgresPort, "embedded PostgreSQL",
                    "choose another port with QNSP_DB_PORT (or a running PostgreSQL with QNSP_DB_URL)");
        }
        if (embeddedRedis) {
            Ports.requireFree(redisPort, "embedded Redis",
                    "choose another port with QNSP_REDIS_PORT (or a running Redis with QNSP_REDIS_URL)");
        }

        Map<String, String> environment = new LinkedHashMap<>();
        EmbeddedPostgres postgres = null;
        if (embeddedPostgres) {
            postgres = startPostgres(home.resolve("postgres"), postgresPort, logs.resolve("postgres.log"));
            environment.put("QNSP_DB_URL", "jdbc:postgresql://localhost:" + postgresPort + "/" + DATABASE);
            environment.put("QNSP_DB_USER", "postgres");
            environment.put("QNSP_DB_PASSWORD", "postgres");
        } else {
            environment.put("QNSP_DB_URL", dbUrl);
            environment.put("QNSP_DB_USER", System.getenv().getOrDefault("QNSP_DB_USER", "postgres"));
            environment.put("QNSP_DB_PASSWORD", System.getenv().getOrDefault("QNSP_DB_PASSWORD", ""));
        }
        Process redis = null;
        PrintStream redisLog = null;
        if (embeddedRedis) {
            Path log = logs.resolve("redis.log");
            redisLog = new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8);
            try {
                redis = startRedis(Files.createDirectories(home.resolve("redis")), redisPort, log, redisLog);
            } catch (LaunchFailure failure) {
                redisLog.close();
                if (postgres != null) {
                    postgres.close();
                }
                throw failure;
            }
            environment.put("QNSP_REDIS_URL", "redis://localhost:" + redisPort);
        } else {
            environment.put("QNSP_REDIS_URL", redisUrl);
        }
        return new Infrastructure(postgres, redis, redisLog, environment);
    }

    /**
     * initdb (on the first start), pg_ctl and the server itself write to {@code log}: the server keeps writing
     * there on its own, so its log outlives a launcher that dies.
     */
    private static EmbeddedPostgres startPostgres(Path data, int port, Path log) throws IOException {
        System.out.println("Starting embedded PostgreSQL on port " + port + " (log: " + log + ")…");
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    // the embedded defaults favour test speed; platform data must survive a crash
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException | RuntimeException e) {
            throw LaunchFailure.withLog("Embedded PostgreSQL did not start on port " + port + ": " + e.getMessage(),
                    log);
        }
        try {
            createDatabaseIfMissing(postgres.getJdbcUrl("postgres", "postgres"));
        } catch (SQLException e) {
            postgres.close();
            throw LaunchFailure.withLog("Embedded PostgreSQL started, but the database " + DATABASE
                    + " could not be created: " + e.getMessage(), log);
        }
        return postgres;
    }

    /**
     * Redis writes its log to standard output: every line goes to {@code log}, so the pipe never fills up. The
     * library provides the binary and its configuration file; the process is the launcher's own (the library's
     * {@code RedisServer} would stop it from a shutdown hook of its own, at the same moment as the services stop
     * and before they have flushed), in a session of its own ({@link OwnSession}).
     */
    private static Process startRedis(Path dir, int port, Path log, PrintStream lines) {
        System.out.println("Starting embedded Redis on port " + port + " (log: " + log + ")…");
        Process redis = null;
        try {
            List<String> command = RedisServer.newRedisServer()
                    .port(port)
                    .setting("bind 127.0.0.1")
                    .setting("dir " + dir)
                    .setting("appendonly yes")
                    .buildCommandArgs();
            redis = new ProcessBuilder(OwnSession.command(command))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            CountDownLatch ready = new CountDownLatch(1);
            Process started = redis;
            Thread.ofPlatform().daemon().name("redis-log").start(() -> {
                try (BufferedReader output = new BufferedReader(
                        new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = output.readLine(); line != null; line = output.readLine()) {
                        lines.println(line);
                        if (line.contains("Ready to accept connections")) {
                            ready.countDown();
                        }
                    }
                } catch (IOException closed) {
                    // the process has ended
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!ready.await(100, TimeUnit.MILLISECONDS)) {
                if (!redis.isAlive()) {
                    throw new IOException("redis-server exited with status " + redis.exitValue());
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("redis-server was not ready after 60 s");
                }
            }
            return redis;
        } catch (IOException | RuntimeException e) {
            if (redis != null) {
                redis.destroyForcibly();
            }
            throw LaunchFailure.withLog("Embedded Redis did not start on port " + port + ": " + e.getMessage(), log);
        } catch (InterruptedException e) {
            redis.destroyForcibly();
            Thread.currentThread().interrupt();
            throw LaunchFailure.withLog("Interrupted while embedded Redis was starting", log);
        }
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
            // SIGTERM: Redis writes its append-only file and exits
            redis.destroy();
            try {
                if (!redis.waitFor(30, TimeUnit.SECONDS)) {
                    System.err.println("embedded Redis did not stop in 30 s; killing it");
                    redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                redis.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("could not stop embedded PostgreSQL: " + e.getMessage());
            }
        }
        if (redisLog != null) {
            redisLog.close();
        }
    }
}
