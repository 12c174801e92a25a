package io.qnsp.test.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on a free loopback port in front of a server, which a test can hold: while held it accepts
 * connections but answers nothing (a server too slow to answer its handshake), and once released it forwards both
 * ways, connections accepted while held included.
 */
public final class StallingProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> held = new ArrayList<>();
    private final List<Socket> open = new ArrayList<>();
    private boolean holding;
    private volatile boolean closed;

    private StallingProxy(String targetHost, int targetPort, boolean holding) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.holding = holding;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("stalling-proxy-" + server.getLocalPort()).start(this::accept);
    }

    /** A proxy to {@code host:port} that holds every connection until {@link #release()}. */
    public static StallingProxy holding(String host, int port) {
        try {
            return new StallingProxy(host, port, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return server.getInetAddress().getHostAddress();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Forwards from now on, starting with the connections held so far. */
    public void release() {
        List<Socket> waiting;
        synchronized (this) {
            holding = false;
            waiting = new ArrayList<>(held);
            held.clear();
        }
        waiting.forEach(this::forward);
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            boolean forwardNow;
            synchronized (this) {
                open.add(client);
                forwardNow = !holding;
                if (holding) {
                    held.add(client);
                }
            }
            if (forwardNow) {
                forward(client);
            }
        }
    }

    private void forward(Socket client) {
        try {
            Socket target = new Socket(targetHost, targetPort);
            synchronized (this) {
                open.add(target);
            }
            pump(client, target);
            pump(target, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // one side closed: close both
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        synchronized (this) {
            open.forEach(StallingProxy::closeQuietly);
            open.clear();
            held.clear();
        }
    }
}
