package io.qnsp.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each line goes to the log of the service whose thread wrote it, as JSON, at the levels the services set. */
class ServiceLogsTests {

    @TempDir
    Path logs;

    @Test
    void aLineGoesToTheLogOfTheServiceWhoseThreadWroteIt() throws Exception {
        ClassLoader alpha = new URLClassLoader("alpha-service", new URL[0], getClass().getClassLoader());
        ClassLoader beta = new URLClassLoader("beta-service", new URL[0], getClass().getClassLoader());
        ServiceLogs serviceLogs = ServiceLogs.install(logs, Map.of(alpha, "alpha-service", beta, "beta-service"));
        Logger logger = LoggerFactory.getLogger("io.example.Service");

        // a thread started by the service's thread inherits its context class loader, virtual ones too
        runAs(alpha, () -> Thread.ofVirtual().start(() -> logger.info("alpha handles a request")).join());
        runAs(beta, () -> logger.info("beta starts"));
        runAs(new URLClassLoader(new URL[0], alpha), () -> logger.info("alpha's child loader"));
        logger.info("nobody's thread");

        String alphaLog = Files.readString(logs.resolve("alpha-service.log"));
        assertThat(alphaLog).contains("\"message\":\"alpha handles a request\"", "\"message\":\"alpha's child loader\"")
                .doesNotContain("beta starts", "nobody's thread");
        assertThat(alphaLog.lines()).allMatch(line -> line.startsWith("{") && line.endsWith("}"));
        assertThat(Files.readString(logs.resolve("beta-service.log"))).contains("\"message\":\"beta starts\"")
                .doesNotContain("alpha");
        assertThat(Files.readString(logs.resolve("service-host.log"))).contains("nobody's thread");

        serviceLogs.applyLevels(Map.of("io.example", "warn"));
        runAs(beta, () -> logger.info("beta's quiet info"));
        runAs(beta, () -> logger.warn("beta's warning"));
        assertThat(Files.readString(logs.resolve("beta-service.log"))).doesNotContain("beta's quiet info")
                .contains("beta's warning");
    }

    @Test
    void aServiceThatFailedToStartSaysWhyInItsOwnLog() throws Exception {
        ClassLoader gamma = new URLClassLoader("gamma-service", new URL[0], getClass().getClassLoader());
        ServiceLogs serviceLogs = ServiceLogs.install(logs, Map.of(gamma, "gamma-service"));

        serviceLogs.failed("gamma-service", new IllegalStateException("port 8081 is taken"));

        assertThat(Files.readString(logs.resolve("gamma-service.log")))
                .contains("gamma-service failed to start", "java.lang.IllegalStateException: port 8081 is taken");
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void runAs(ClassLoader loader, Action action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            action.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
