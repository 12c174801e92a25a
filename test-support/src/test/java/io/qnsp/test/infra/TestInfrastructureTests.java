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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
