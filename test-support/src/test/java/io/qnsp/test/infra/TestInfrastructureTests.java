package io.qnsp.test.infra;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TestInfrastructureTests {

    @Test
    void everyCreatedDatabaseIsEmptyAndSeparate() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        String first = postgres.createDatabase("first");
        String second = postgres.createDatabase("second");
        assertThat(first).isNotEqualTo(second);
        try (Connection connection = DriverManager.getConnection(first, postgres.user(), postgres.password())) {
            connection.createStatement().execute("create table marker(id int)");
        }
        try (Connection connection = DriverManager.getConnection(second, postgres.user(), postgres.password());
             ResultSet tables = connection.getMetaData().getTables(null, "public", "marker", null)) {
            assertThat(tables.next()).isFalse();
        }
        try (Connection connection = DriverManager.getConnection(first, postgres.user(), postgres.password());
             ResultSet version = connection.createStatement().executeQuery("show server_version_num")) {
            version.next();
            if (postgres.isEmbedded()) {
                assertThat(version.getInt(1)).isGreaterThanOrEqualTo(170000);
            }
        }
    }

    @Test
    void privateRedisStopsAndStartsOnTheSamePort() throws Exception {
        try (TestRedis redis = TestRedis.startPrivate()) {
            assertThat(ping(redis)).isEqualTo("+PONG");
            redis.stop();
            assertThatThrownBy(() -> ping(redis)).isInstanceOf(java.io.IOException.class);
            redis.start();
            assertThat(ping(redis)).isEqualTo("+PONG");
        }
    }

    @Test
    void writersWaitWhileATableLockIsHeldAndGoOnOnceItIsReleased() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        String database = postgres.createDatabase("lock");
        try (Connection writer = DriverManager.getConnection(database, postgres.user(), postgres.password());
             Connection observer = DriverManager.getConnection(database, postgres.user(), postgres.password())) {
            writer.createStatement().execute("create table marker(id int)");
            CompletableFuture<Integer> written;
            try (TableLock lock = TableLock.exclusive(database, postgres.user(), postgres.password(), "marker")) {
                assertThat(count(observer, "select count(*) from marker")).as("reads go on").isZero();
                written = CompletableFuture.supplyAsync(() -> {
                    try {
                        return writer.createStatement().executeUpdate("insert into marker values (1)");
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                // PostgreSQL itself says the insert waits: no guess at how long it takes to get there
                await().atMost(Duration.ofSeconds(30)).until(() -> count(observer,
                        "select count(*) from pg_locks where relation = 'marker'::regclass and not granted") == 1);
                assertThat(written).isNotDone();
                lock.release();
                lock.release();
            }
            assertThat(written.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (ResultSet result = connection.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static String ping(TestRedis redis) throws Exception {
        try (Socket socket = new Socket(redis.host(), redis.port());
             PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            out.print("PING\r\n");
            out.flush();
            return in.readLine();
        }
    }
}
