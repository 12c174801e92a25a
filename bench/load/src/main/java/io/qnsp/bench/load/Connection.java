package io.qnsp.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One keep-alive HTTP/1.1 connection carrying at most one request at a time (no pipelining); reopened when the
 * server closes it. An idle connection belongs to whichever thread took it from the idle queue; one with a request
 * in flight belongs to the I/O thread, which reads the response.
 */
final class Connection {

    /** What a read found. */
    enum ReadOutcome { INCOMPLETE, RESPONSE, CLOSED_IDLE }

    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private final InetSocketAddress address;
    private final ResponseParser response;
    private final boolean closeAfterEachResponse;
    private SocketChannel channel;
    private SelectionKey key;
    private ByteBuffer input = ByteBuffer.allocate(16 * 1024);
    private ByteBuffer output;
    private volatile long request = -1;
    private long sentNanos;
    private long idleSinceNanos;

    Connection(Requests requests) {
        this.address = requests.address();
        this.response = new ResponseParser(requests.head());
        this.closeAfterEachResponse = requests.closing();
    }

    /**
     * Connects, blocking (loopback connects take microseconds; a down server refuses at once), then switches to
     * non-blocking reads through {@code selector}.
     */
    void open(Selector selector) throws IOException {
        SocketChannel opened = SocketChannel.open();
        try {
            opened.setOption(StandardSocketOptions.TCP_NODELAY, true);
            opened.socket().connect(address, CONNECT_TIMEOUT_MILLIS);
            opened.configureBlocking(false);
            key = opened.register(selector, SelectionKey.OP_READ, this);
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        channel = opened;
        input.clear();
        response.reset();
    }

    boolean isOpen() {
        return channel != null;
    }

    /**
     * Writes request number {@code index}; what the socket does not take now is written when it is writable. Called
     * by the sender owning this idle connection, which hands it to the I/O thread by setting the request in flight:
     * from then on a failure is the I/O thread's to find (the connection breaks, or the request times out).
     */
    void send(long index, byte[] bytes, long nowNanos) {
        SocketChannel sendChannel = channel;
        SelectionKey sendKey = key;
        sentNanos = nowNanos;
        output = ByteBuffer.wrap(bytes);
        request = index;
        try {
            sendChannel.write(output);
            if (output.hasRemaining()) {
                sendKey.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                sendKey.selector().wakeup();
            }
        } catch (IOException | CancelledKeyException e) {
            // the I/O thread sees the connection broken
        }
    }

    void onWritable() throws IOException {
        channel.write(output);
        if (!output.hasRemaining()) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    /**
     * Reads what has arrived. A response ends the request in flight ({@link #finish()} reads its status); the server
     * closing an idle connection is no error; closing it mid-response is, unless the close is what ends the body.
     */
    ReadOutcome onReadable() throws IOException {
        int read = channel.read(input);
        if (read < 0) {
            if (request < 0) {
                return ReadOutcome.CLOSED_IDLE;
            }
            if (response.completedByClose()) {
                return ReadOutcome.RESPONSE;
            }
            throw new IOException("connection closed before the response ended");
        }
        if (request < 0) {
            input.clear(); // nothing is expected: ignore stray bytes
            return ReadOutcome.INCOMPLETE;
        }
        input.flip();
        boolean complete;
        try {
            complete = response.consume(input);
        } catch (RuntimeException e) {
            throw new IOException("malformed response", e);
        }
        input.compact();
        if (!complete && !input.hasRemaining()) {
            input = ByteBuffer.allocate(input.capacity() * 2).put(input.flip());
        }
        return complete ? ReadOutcome.RESPONSE : ReadOutcome.INCOMPLETE;
    }

    /**
     * Ends the request in flight after its response, leaving the connection idle since {@code nowNanos}; closes it
     * if the server said it would or the request asked it to. Returns the response status.
     */
    int finish(long nowNanos) {
        int status = response.status();
        boolean close = response.closeAfter() || closeAfterEachResponse;
        response.reset();
        input.clear();
        request = -1;
        idleSinceNanos = nowNanos;
        if (close) {
            close();
        }
        return status;
    }

    /** Closes the connection, forgetting any request in flight; it is idle since {@code nowNanos}. */
    void abandon(long nowNanos) {
        request = -1;
        idleSinceNanos = nowNanos;
        close();
    }

    void close() {
        if (channel != null) {
            key.cancel();
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
            channel = null;
            key = null;
        }
    }

    /** The number of the request in flight, or -1 when idle. */
    long request() {
        return request;
    }

    long sentNanos() {
        return sentNanos;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }
}
