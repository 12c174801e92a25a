package io.qnsp.platform;

import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;

/**
 * The one platform every drill runs on, as compose and Kubernetes run it (each service its own process, started
 * again when it stops): started by the first class that asks for it and stopped when the whole test run ends, so
 * that the drills share one start (the suite's time budget has no room for one per drill). The generated-client
 * test, which needs a running platform and nothing particular of it, runs on it first. The classes
 * run in a fixed order ({@code @Order} on the class, see {@code junit-platform.properties}): after the black-box
 * tests (which have their own platform, in the shared JVM as {@code ./platform} runs it) and with the
 * secrets-at-rest scan last, over everything the others wrote.
 */
final class DrillPlatform {

    /** Class order of the drills, after every other test class of the module (those have the default order). */
    static final int GENERATED_CLIENT = Integer.MAX_VALUE - 70;
    static final int HOSTILE_INPUT = Integer.MAX_VALUE - 60;
    static final int ISOLATION = Integer.MAX_VALUE - 50;
    static final int KILL = Integer.MAX_VALUE - 40;
    static final int REDIS_OUTAGE = Integer.MAX_VALUE - 30;
    static final int POSTGRES_OUTAGE = Integer.MAX_VALUE - 20;
    static final int SECRETS_AT_REST = Integer.MAX_VALUE - 10;

    private static final ExtensionContext.Namespace DRILLS = ExtensionContext.Namespace.create(DrillPlatform.class);

    private DrillPlatform() {
    }

    /**
     * The drill platform, started on the first call of the test run. {@code -Dqnsp.drills.shared-jvm=true} runs it
     * with the services in one JVM, lighter while writing a drill that kills no single service.
     */
    static RunningPlatform running(ExtensionContext context) {
        RunningPlatform.Options options = Boolean.getBoolean("qnsp.drills.shared-jvm")
                ? new RunningPlatform.Options(true, true) : RunningPlatform.Options.DRILLS;
        return context.getRoot().getStore(DRILLS).computeIfAbsent(RunningPlatform.class, type -> {
            try {
                return RunningPlatform.start(Duration.ofMinutes(10), options);
            } catch (Exception e) {
                throw new IllegalStateException("the drill platform did not start", e);
            }
        }, RunningPlatform.class);
    }
}
