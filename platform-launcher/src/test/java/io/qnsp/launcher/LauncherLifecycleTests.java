package io.qnsp.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The launcher's care of its processes. Ctrl-C as a terminal sends it: SIGINT to the launcher's whole process group. The launcher alone may receive it
 * and must stop the services first, while PostgreSQL and Redis still take their last writes, then the servers.
 * A stand-in service ({@link StandInService}) writes a row and a Redis key while it stops, naming the signal that
 * stopped it; after the launcher has exited, the row is read back from the same data directory and the key from
 * Redis's append-only file. A service killed while the platform runs is started again, and is then stopped as
 * gracefully as the first one.
 */
@EnabledOnOs(OS.LINUX)
class LauncherLifecycleTests {

    @TempDir
    Path root;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void ctrlCStopsTheServicesGracefullyBeforePostgresAndRedis() throws Exception {
        Path home = root.resolve("home");
        int postgresPort = freePort();
        Process launcher = startLauncher(home, freePort(), postgresPort);
        List<String> output = new ArrayList<>();
        BufferedReader lines = new BufferedReader(
                new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        try {
            readUntil(lines, output, "Press Ctrl-C to stop.");

            Process interrupt = new ProcessBuilder("kill", "-INT", "--", "-" + launcher.pid()).inheritIO().start();
            assertThat(interrupt.waitFor()).isZero();
            readUntil(lines, output, "Stopped. Data is kept in " + home);
            assertThat(launcher.waitFor(1, TimeUnit.MINUTES)).isTrue();
        } finally {
            launcher.destroyForcibly();
        }

        String serviceLog = Files.readString(home.resolve("logs/stand-in-service.log"));
        assertThat(serviceLog).contains("stopping after SIGTERM", "wrote the last row to PostgreSQL",
                "Redis answered +OK");
        long servicePid;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(home.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setPort(postgresPort)
                .start();
             Connection connection = postgres.getDatabase("postgres", "qnsp").getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT signal, pid FROM last_writes")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString("signal")).isEqualTo("SIGTERM");
            servicePid = rows.getLong("pid");
            assertThat(rows.next()).isFalse();
        }
        assertThat(ProcessHandle.of(servicePid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(appendOnlyFiles(home.resolve("redis")))
                .contains("last-write-" + servicePid).contains("SIGTERM");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aServiceKilledWhileThePlatformRunsIsStartedAgainAndLaterStoppedGracefully() throws Exception {
        Path home = root.resolve("home");
        int servicePort = freePort();
        Process launcher = startLauncher(home, servicePort, freePort());
        List<String> output = new ArrayList<>();
        BufferedReader lines = new BufferedReader(
                new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        try {
            readUntil(lines, output, "Press Ctrl-C to stop.");
            ProcessHandle killed = standIn(launcher);

            Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(killed.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            readUntil(lines, output, "stand-in-service stopped (exit status 137); starting it again in 1 s");
            String started = readUntilStartingWith(lines, output, "Started stand-in-service again (process ");
            long restartedPid = Long.parseLong(started.replaceAll("\\D", ""));
            assertThat(restartedPid).isNotEqualTo(killed.pid());
            assertThat(standIn(launcher).pid()).isEqualTo(restartedPid);
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(http.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + servicePort + "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200));

            Process interrupt = new ProcessBuilder("kill", "-INT", "--", "-" + launcher.pid()).inheritIO().start();
            assertThat(interrupt.waitFor()).isZero();
            readUntil(lines, output, "Stopped. Data is kept in " + home);
            assertThat(launcher.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(ProcessHandle.of(restartedPid).filter(ProcessHandle::isAlive)).isEmpty();
        } finally {
            launcher.destroyForcibly();
        }
        // the killed process wrote nothing as it died; the one started again stopped as gracefully as any
        assertThat(Files.readString(home.resolve("logs/stand-in-service.log")))
                .containsOnlyOnce("stopping after SIGTERM")
                .containsOnlyOnce("wrote the last row to PostgreSQL");
    }

    /** The stand-in service's process among the launcher's descendants. */
    private static ProcessHandle standIn(Process launcher) {
        List<ProcessHandle> found = launcher.descendants()
                .filter(process -> process.info().commandLine().orElse("").contains("stand-in-service.jar"))
                .toList();
        assertThat(found).as("the stand-in service's process").hasSize(1);
        return found.getFirst();
    }

    private static String readUntilStartingWith(BufferedReader lines, List<String> output, String prefix)
            throws IOException {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            output.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("the launcher ended without printing a line starting with \"" + prefix
                + "\"; it printed:\n" + String.join("\n", output));
    }

    /** The launcher with the stand-in service on {@code servicePort}, leading a process group of its own. */
    private Process startLauncher(Path home, int servicePort, int postgresPort) throws IOException {
        Path standInJar = standInJar(root.resolve("stand-in"));
        Path config = root.resolve("platform.properties");
        Files.writeString(config, String.join("\n",
                "services=stand-in-service",
                "service.stand-in-service.port=" + servicePort,
                "service.stand-in-service.jar=" + standInJar,
                "ready-timeout-seconds=120", ""));

        // setsid: the launcher leads a process group of its own, as a shell's foreground job does
        ProcessBuilder builder = new ProcessBuilder("setsid", javaCommand(), "-cp",
                System.getProperty("java.class.path"), PlatformLauncher.class.getName())
                .directory(root.toFile())
                .redirectErrorStream(true);
        builder.environment().put("QNSP_HOME", home.toString());
        builder.environment().put("QNSP_PROJECT_ROOT", root.toString());
        builder.environment().put("QNSP_PLATFORM_CONFIG", config.toString());
        builder.environment().put("QNSP_DB_PORT", Integer.toString(postgresPort));
        builder.environment().put("QNSP_REDIS_PORT", Integer.toString(freePort()));
        builder.environment().put("QNSP_AOT_CACHE", "off");
        builder.environment().remove("QNSP_DB_URL");
        builder.environment().remove("QNSP_REDIS_URL");
        builder.environment().remove("QNSP_SERVICE_JAVA_OPTS");
        return builder.start();
    }

    private static void readUntil(BufferedReader lines, List<String> output, String expected) throws IOException {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            output.add(line);
            if (line.equals(expected)) {
                return;
            }
        }
        throw new AssertionError("the launcher ended without printing \"" + expected + "\"; it printed:\n"
                + String.join("\n", output));
    }

    /** A jar that runs {@link StandInService} from this module's test class path (relative, as a manifest wants). */
    private static Path standInJar(Path directory) throws IOException {
        Files.createDirectories(directory);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, StandInService.class.getName());
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath())
                .map(entry -> directory.toAbsolutePath().relativize(entry).toString().replace(File.separatorChar, '/')
                        + (Files.isDirectory(entry) ? "/" : ""))
                .collect(Collectors.joining(" "));
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        Path jar = directory.resolve("stand-in-service.jar");
        try (OutputStream out = Files.newOutputStream(jar);
             JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }

    private static String appendOnlyFiles(Path redisDirectory) throws IOException {
        try (Stream<Path> files = Files.walk(redisDirectory)) {
            StringBuilder content = new StringBuilder();
            for (Path file : files.filter(f -> f.getFileName().toString().contains(".aof")).toList()) {
                content.append(Files.readString(file, StandardCharsets.ISO_8859_1));
            }
            return content.toString();
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
