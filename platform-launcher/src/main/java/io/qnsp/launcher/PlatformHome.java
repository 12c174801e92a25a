package io.qnsp.launcher;

import ch.qos.logback.core.PropertyDefinerBase;

import java.nio.file.Path;

/**
 * Where the platform keeps data, secrets and logs: {@code QNSP_HOME}, else {@code .qnsp} in the working directory
 * (as the {@code platform} script has it too).
 */
final class PlatformHome {

    private PlatformHome() {
    }

    static Path resolve() {
        String configured = System.getenv("QNSP_HOME");
        return Path.of(configured == null || configured.isBlank() ? ".qnsp" : configured).toAbsolutePath();
    }

    static Path logs(Path home) {
        return home.resolve("logs");
    }

    /** The log directory for logback.xml, so the launcher's own log lands beside the others. */
    public static final class LogDirectory extends PropertyDefinerBase {

        @Override
        public String getPropertyValue() {
            return logs(resolve()).toString();
        }
    }
}
