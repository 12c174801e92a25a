package io.qnsp.test.infra;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

/**
 * A Redis server for tests: the one named by {@code QNSP_TEST_REDIS_URL} ({@code redis://host:port}), or an
 * embedded one. {@link #shared()} is started once per JVM; {@link #startPrivate()} gives a test a server of its
 * own that it may stop and start again, to see how the code under test behaves while Redis is away.
 */
public final class TestRedis implements AutoCloseable {

    public static final String URL_VARIABLE = "QNSP_TEST_REDIS_URL";

    /**
     * The Redis command timeout for services and clients under test ({@code qnsp.redis.command-timeout}), instead of
     * production's 500 ms: on a loaded CI machine an answer of a running Redis can take longer than that, and a
     * command timing out would hand the decision to a failure mode the test is not about. A stopped Redis still
     * fails commands at once (the connection is gone); tests of a Redis that does not answer set their own timeout.
     */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private static TestRedis shared;

    private final String host;
    private final int port;
    private final RedisServer embedded;

    private TestRedis(String host, int port, RedisServer embedded) {
        this.host = host;
        this.port = port;
        this.embedded = embedded;
    }

    /** The JVM-wide server, started on first use; never stopped by tests. */
    public static synchronized TestRedis shared() {
        if (shared == null) {
            String external = System.getenv(URL_VARIABLE);
            if (external == null || external.isBlank()) {
                shared = startPrivate();
                Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "embedded-redis-shutdown"));
            } else {
                URI uri = URI.create(external);
                shared = new TestRedis(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379, null);
            }
        }
        return shared;
    }

    /**
     * A new embedded server on a free port, owned by the caller. The port is free when chosen, but another process
     * may take it before Redis binds it; then Redis does not start, and another port is tried.
     */
    public static TestRedis startPrivate() {
        IOException failure = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            RedisServer server = null;
            try {
                server = RedisServer.newRedisServer()
                        .port(port)
                        .setting("bind 127.0.0.1")
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .build();
                server.start();
                return new TestRedis("127.0.0.1", port, server);
            } catch (IOException e) {
                failure = e;
                stopQuietly(server);
            }
        }
        throw new UncheckedIOException("could not start embedded Redis", failure);
    }

    private static void stopQuietly(RedisServer server) {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException | RuntimeException ignored) {
            // it did not start
        }
    }

    /** Stops an embedded server (its data is lost, as after a Redis restart without persistence). */
    public void stop() {
        requireEmbedded();
        try {
            embedded.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a stopped embedded server again on the same port. */
    public void start() {
        requireEmbedded();
        try {
            embedded.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void requireEmbedded() {
        if (embedded == null) {
            throw new IllegalStateException("only an embedded Redis can be stopped and started by a test");
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        if (embedded != null && embedded.isActive()) {
            try {
                embedded.stop();
            } catch (IOException ignored) {
                // best effort on shutdown
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
