package io.qnsp.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Finds where one HTTP/1.1 response ends in the bytes read from a connection and what its status is. The body is
 * skipped, never kept: framed by Content-Length, chunked transfer coding, or the end of the connection.
 */
final class ResponseParser {

    private enum State { HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, TRAILERS, UNTIL_CLOSE }

    private final boolean headRequest;
    private State state = State.HEADERS;
    private long remaining;
    private int status;
    private boolean closeAfter;

    ResponseParser(boolean headRequest) {
        this.headRequest = headRequest;
    }

    /**
     * Consumes bytes from {@code in} (between its position and limit) and says whether the response is complete.
     * Bytes it cannot use yet (a partial line) are left in the buffer for the next call.
     */
    boolean consume(ByteBuffer in) throws IOException {
        while (true) {
            switch (state) {
                case HEADERS -> {
                    int end = indexOf(in, true);
                    if (end < 0) {
                        return false;
                    }
                    String head = new String(in.array(), in.arrayOffset() + in.position(), end - in.position(),
                            StandardCharsets.ISO_8859_1);
                    in.position(end + 4);
                    if (readHead(head)) {
                        return true;
                    }
                }
                case BODY, CHUNK_DATA -> {
                    int skip = (int) Math.min(remaining, in.remaining());
                    in.position(in.position() + skip);
                    remaining -= skip;
                    if (remaining > 0) {
                        return false;
                    }
                    if (state == State.BODY) {
                        return true;
                    }
                    state = State.CHUNK_SIZE;
                }
                case CHUNK_SIZE -> {
                    String line = line(in);
                    if (line == null) {
                        return false;
                    }
                    int extension = line.indexOf(';');
                    long size = Long.parseLong((extension < 0 ? line : line.substring(0, extension)).strip(), 16);
                    if (size == 0) {
                        state = State.TRAILERS;
                    } else {
                        remaining = size + 2; // the data and its CRLF
                        state = State.CHUNK_DATA;
                    }
                }
                case TRAILERS -> {
                    String line = line(in);
                    if (line == null) {
                        return false;
                    }
                    if (line.isEmpty()) {
                        return true;
                    }
                }
                case UNTIL_CLOSE -> {
                    in.position(in.limit());
                    return false;
                }
            }
        }
    }

    /** Reads the status line and headers; says whether the response has no body and is therefore complete. */
    private boolean readHead(String head) throws IOException {
        int lineEnd = lineEnd(head, 0);
        String statusLine = head.substring(0, lineEnd);
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x response: " + statusLine);
        }
        status = Integer.parseInt(statusLine, 9, 12, 10);
        closeAfter = statusLine.startsWith("HTTP/1.0");
        long contentLength = -1;
        boolean chunked = false;
        for (int start = lineEnd + 2; start < head.length(); start = lineEnd + 2) {
            lineEnd = lineEnd(head, start);
            int colon = head.indexOf(':', start);
            if (colon < 0 || colon > lineEnd) {
                continue;
            }
            if (isHeader(head, start, colon, "content-length")) {
                contentLength = Long.parseLong(value(head, colon, lineEnd));
            } else if (isHeader(head, start, colon, "transfer-encoding")) {
                chunked = value(head, colon, lineEnd).contains("chunked");
            } else if (isHeader(head, start, colon, "connection")) {
                String value = value(head, colon, lineEnd);
                closeAfter = value.contains("close") || (closeAfter && !value.contains("keep-alive"));
            }
        }
        if (status < 200) {
            return false; // an interim response (100 Continue): the real one follows
        }
        if (headRequest || status == 204 || status == 304 || (contentLength == 0 && !chunked)) {
            return true;
        }
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength > 0) {
            remaining = contentLength;
            state = State.BODY;
        } else {
            closeAfter = true;
            state = State.UNTIL_CLOSE;
        }
        return false;
    }

    /** Says whether the end of the connection completes the response (one whose body runs until the close). */
    boolean completedByClose() {
        return state == State.UNTIL_CLOSE;
    }

    /** The status of the response just completed. */
    int status() {
        return status;
    }

    /** Whether the server closes the connection after the response just completed. */
    boolean closeAfter() {
        return closeAfter;
    }

    /** Prepares for the next response on the same connection. */
    void reset() {
        state = State.HEADERS;
        remaining = 0;
        status = 0;
        closeAfter = false;
    }

    private static int lineEnd(String head, int start) {
        int end = head.indexOf("\r\n", start);
        return end < 0 ? head.length() : end;
    }

    private static boolean isHeader(String head, int start, int colon, String name) {
        return colon - start == name.length() && head.regionMatches(true, start, name, 0, name.length());
    }

    private static String value(String head, int colon, int lineEnd) {
        return head.substring(colon + 1, lineEnd).strip().toLowerCase(Locale.ROOT);
    }

    private static String line(ByteBuffer in) {
        int end = indexOf(in, false);
        if (end < 0) {
            return null;
        }
        String line = new String(in.array(), in.arrayOffset() + in.position(), end - in.position(),
                StandardCharsets.ISO_8859_1);
        in.position(end + 2);
        return line;
    }

    /** The index of the next CRLF (or CRLF CRLF when {@code blankLine}) in {@code in}, or -1. */
    private static int indexOf(ByteBuffer in, boolean blankLine) {
        byte[] bytes = in.array();
        int offset = in.arrayOffset();
        int last = in.limit() - (blankLine ? 4 : 2);
        for (int i = in.position(); i <= last; i++) {
            if (bytes[offset + i] == '\r' && bytes[offset + i + 1] == '\n'
                    && (!blankLine || (bytes[offset + i + 2] == '\r' && bytes[offset + i + 3] == '\n'))) {
                return i;
            }
        }
        return -1;
    }
}
