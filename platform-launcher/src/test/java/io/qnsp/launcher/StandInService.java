package io.qnsp.launcher;

import com.sun.net.httpserver.HttpServer;
import sun.misc.Signal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A service as the launcher sees one, for {@link LauncherLifecycleTests}: it answers the readiness probe, notes which
 * signal stopped it, and makes its last writes while it stops, as the real services' relays and log buffers do: a
 * row in PostgreSQL and a key in Redis, both naming that signal and its process id.
 */
public final class StandInService {

    private StandInService() {
    }

    public static void main(String[] args) throws Exception {
        AtomicReference<String> stoppedBy = new AtomicReference<>("none");
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> {
                stoppedBy.compareAndSet("none", "SIG" + signal.getName());
                System.exit(128 + signal.getNumber());
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> lastWrites(stoppedBy.get())));
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost",
                Integer.parseInt(System.getenv("PORT"))), 0);
        server.createContext("/actuator/health/readiness", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("stand-in service ready");
    }

    private static void lastWrites(String signal) {
        long pid = ProcessHandle.current().pid();
        System.out.println("stopping after " + signal + ", writing");
        try (Connection connection = DriverManager.getConnection(System.getenv("QNSP_DB_URL"),
                System.getenv("QNSP_DB_USER"), System.getenv("QNSP_DB_PASSWORD"));
             Statement statement = connection.createStatement();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO last_writes (signal, pid) VALUES (?, ?)")) {
            statement.execute("CREATE TABLE IF NOT EXISTS last_writes (signal text NOT NULL, pid bigint NOT NULL)");
            insert.setString(1, signal);
            insert.setLong(2, pid);
            insert.executeUpdate();
            System.out.println("wrote the last row to PostgreSQL");
        } catch (SQLException e) {
            System.out.println("the last row was lost: " + e.getMessage());
        }
        String url = System.getenv("QNSP_REDIS_URL");
        String[] hostAndPort = url.substring("redis://".length()).split(":");
        try (Socket redis = new Socket(hostAndPort[0], Integer.parseInt(hostAndPort[1]))) {
            String key = "last-write-" + pid;
            String command = "*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$" + signal.length() + "\r\n"
                    + signal + "\r\n";
            redis.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
            redis.getOutputStream().flush();
            byte[] reply = new byte[5];
            int read = redis.getInputStream().readNBytes(reply, 0, 5);
            System.out.println("Redis answered " + new String(reply, 0, read, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            System.out.println("the last key was lost: " + e.getMessage());
        }
    }
}
