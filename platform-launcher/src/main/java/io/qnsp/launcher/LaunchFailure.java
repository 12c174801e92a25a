package io.qnsp.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Why the platform could not start, said for the operator: what failed and which log to read, without a stack
 * trace. The launcher prints the message and exits with status 1.
 */
final class LaunchFailure extends RuntimeException {

    private static final int TAIL_LINES = 20;

    LaunchFailure(String message) {
        super(message);
    }

    /** {@code what} failed: the message ends with the log's path and its last lines. */
    static LaunchFailure withLog(String what, Path log) {
        return new LaunchFailure(what + "\nLast lines of " + log + ":\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            if (lines.isEmpty()) {
                return "  (empty)";
            }
            StringBuilder tail = new StringBuilder();
            for (String line : lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())) {
                tail.append("  ").append(line).append('\n');
            }
            return tail.toString().stripTrailing();
        } catch (IOException | RuntimeException unreadable) {
            return "  (unreadable: " + unreadable.getMessage() + ")";
        }
    }
}
