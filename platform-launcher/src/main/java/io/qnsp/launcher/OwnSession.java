package io.qnsp.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the platform's processes outside the terminal's foreground process group. Ctrl-C in a terminal sends
 * SIGINT to that whole group at once: were the services and Redis in it, they would stop at the same moment as the
 * launcher, racing the services' last writes (outbox relays, request and decision logs) against the servers those
 * writes go to. In a session of their own only the launcher receives the terminal's signal, and its shutdown hook
 * stops the services first, gracefully, then PostgreSQL and Redis. (PostgreSQL needs nothing: {@code pg_ctl start}
 * already detaches the server into a session of its own.)
 * <p>
 * {@code setsid} (util-linux) runs the command in a new session under the same process id, so the launcher still
 * signals and awaits the process it started. Where there is no {@code setsid} (macOS), the command runs through a
 * shell that ignores SIGINT and SIGQUIT, which the command inherits; the JVM and Redis honour an ignored SIGINT.
 */
final class OwnSession {

    private static final List<String> PREFIX = prefix();

    private OwnSession() {
    }

    static List<String> command(List<String> command) {
        List<String> wrapped = new ArrayList<>(PREFIX);
        wrapped.addAll(command);
        return wrapped;
    }

    private static List<String> prefix() {
        String path = System.getenv().getOrDefault("PATH", "");
        List<String> directories = new ArrayList<>(List.of(path.split(File.pathSeparator)));
        directories.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        for (String directory : directories) {
            if (!directory.isBlank() && Files.isExecutable(Path.of(directory, "setsid"))) {
                return List.of(Path.of(directory, "setsid").toString());
            }
        }
        return List.of("/bin/sh", "-c", "trap '' INT QUIT; exec \"$0\" \"$@\"");
    }
}
