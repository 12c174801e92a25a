package io.qnsp.launcher;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./platform} script's build phase, run against a stand-in Maven wrapper and JDK: what Maven and its JVM
 * print goes to the build log, the terminal gets one line, and a failed build shows the log's end and stops.
 */
@DisabledOnOs(OS.WINDOWS)
class PlatformScriptTests {

    private static final String LAUNCHER_STARTED = "launcher started with -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
            + "-Xms16m -Xmx256m -Xss512k -jar platform-launcher/target/platform-launcher-9.jar";

    @TempDir
    Path root;

    @BeforeEach
    void copyTheScriptNextToAStandInMavenAndJdk() throws IOException {
        Files.copy(Path.of("..", "platform"), root.resolve("platform"), StandardCopyOption.COPY_ATTRIBUTES);
        executable(root.resolve("mvnw"), """
                #!/usr/bin/env bash
                echo "$@" > mvnw.args
                echo 'WARNING: A terminally deprecated method in sun.misc.Unsafe has been called' >&2
                echo '[INFO] Scanning for projects...'
                if [ -n "${STAND_IN_BUILD_FAILS:-}" ]; then
                  echo '[ERROR] COMPILATION ERROR : Broken.java:[3,1] class, interface, enum, or record expected'
                  exit 1
                fi
                mkdir -p platform-launcher/target && touch platform-launcher/target/platform-launcher-9.jar
                echo '[INFO] BUILD SUCCESS'
                """);
        executable(root.resolve("jdk/bin/java"), """
                #!/usr/bin/env bash
                echo "launcher started with $*"
                """);
    }

    @Test
    void theBuildWritesToItsLogAndTheTerminalShowsOneLine() throws Exception {
        Result first = runPlatform(false);

        assertThat(first.exitCode).isZero();
        Path buildLog = root.toRealPath().resolve(".qnsp/logs/build.log");
        assertThat(first.lines).hasSize(2);
        assertThat(first.lines.getFirst()).matches("Building the platform \\(first run or sources changed; log: "
                + Pattern.quote(buildLog.toString()) + "\\)… done in \\d+ s");
        assertThat(first.lines.get(1)).isEqualTo(LAUNCHER_STARTED);
        assertThat(Files.readString(buildLog)).contains("WARNING: A terminally deprecated method", "[INFO] BUILD SUCCESS");
        assertThat(Files.readString(root.resolve("mvnw.args"))).contains("-Dmaven.jar.forceCreation=true", "-Dmaven.test.skip=true",
                "-Dqnsp.platform-only", "package");

        // nothing changed since: no build, the launcher straight away
        Result second = runPlatform(false);
        assertThat(second.exitCode).isZero();
        assertThat(second.lines).containsExactly(LAUNCHER_STARTED);
    }

    @Test
    void aFailedBuildShowsTheEndOfItsLogAndStops() throws Exception {
        Result result = runPlatform(true);

        assertThat(result.exitCode).isNotZero();
        String buildLog = root.toRealPath().resolve(".qnsp/logs/build.log").toString();
        assertThat(result.output).contains(buildLog, "[ERROR] COMPILATION ERROR : Broken.java:[3,1]")
                .doesNotContain("launcher started");
    }

    private Result runPlatform(boolean buildFails) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("platform").toString())
                .directory(root.toFile())
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        builder.environment().remove("QNSP_HOME");
        if (buildFails) {
            builder.environment().put("STAND_IN_BUILD_FAILS", "1");
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output, output.lines().toList());
    }

    private static void executable(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        assertThat(file.toFile().setExecutable(true)).isTrue();
    }

    private record Result(int exitCode, String output, List<String> lines) {
    }
}
