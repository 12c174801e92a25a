package io.qnsp.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up failures are told as what failed, how to fix it or which log to read. */
class LaunchFailureTests {

    @TempDir
    Path home;

    @Test
    void aTakenPortNamesWhatNeedsItAndHowToMoveIt() throws Exception {
        int port;
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = taken.getLocalPort();
            assertThatThrownBy(() -> Ports.requireFree(port, "embedded Redis",
                    "choose another port with QNSP_REDIS_PORT"))
                    .isInstanceOf(LaunchFailure.class)
                    .hasMessage("Port " + port + " is already in use, so embedded Redis cannot listen on it. Is the "
                            + "platform already running? Otherwise stop what uses the port, or choose another port "
                            + "with QNSP_REDIS_PORT.");
        }
        assertThatCode(() -> Ports.requireFree(port, "embedded Redis", "…")).doesNotThrowAnyException();
    }

    @Test
    void aServiceThatExitsIsReportedAtOnceWithTheEndOfItsLog() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path missingJar = home.resolve("alpha-service-1.0.jar");
        ServiceSpec spec = new ServiceSpec("alpha-service", port, missingJar, Map.of(), Map.of(), null, List.of());
        ServiceProcess alpha = ServiceProcess.start(spec, Map.of(), home);

        long started = System.nanoTime();
        assertThatThrownBy(() -> ServiceProcess.awaitReady(List.of(alpha), Duration.ofMinutes(2)))
                .isInstanceOf(LaunchFailure.class)
                .hasMessageStartingWith("alpha-service exited with status 1 before it was ready.\n"
                        + "Last lines of " + home.resolve("alpha-service.log") + ":\n")
                .hasMessageContaining("Unable to access jarfile " + missingJar);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }
}
