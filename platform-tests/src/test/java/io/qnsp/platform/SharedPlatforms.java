package io.qnsp.platform;

import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;

/**
 * The platforms the test classes of this module share, each started by the first class that asks for it, so that
 * the suite's time budget pays for two starts, not one per class:
 * <ul>
 * <li>the black-box platform, as {@code ./platform} runs it (every service in one JVM), which lets webhooks reach a
 * receiver on loopback: the black-box tests and the dashboard's browser tests;</li>
 * <li>the drill platform, as compose and Kubernetes run it (each service its own process, started again when it
 * stops), which refuses private webhook targets as production does: the drills, and first the generated-client
 * test, which needs a running platform and nothing particular of it.</li>
 * </ul>
 * The classes run in a fixed order ({@code @Order} on the class, see {@code junit-platform.properties}): the
 * black-box classes first (default order, then {@link #BLACK_BOX_LAST}), then the drills, with the secrets-at-rest
 * scan last, over everything the others wrote. The black-box platform is stopped when the drill platform starts, so
 * it takes no share of the machine during the drills; the drill platform is stopped when the whole test run ends.
 */
final class SharedPlatforms {

    /** The last class on the black-box platform: it stops a service of it for good. */
    static final int BLACK_BOX_LAST = Integer.MAX_VALUE - 80;
    /** Class order of the drills, after every other test class of the module (those have the default order). */
    static final int GENERATED_CLIENT = Integer.MAX_VALUE - 70;
    static final int HOSTILE_INPUT = Integer.MAX_VALUE - 60;
    static final int ISOLATION = Integer.MAX_VALUE - 50;
    static final int KILL = Integer.MAX_VALUE - 40;
    static final int REDIS_OUTAGE = Integer.MAX_VALUE - 30;
    static final int POSTGRES_OUTAGE = Integer.MAX_VALUE - 20;
    static final int SECRETS_AT_REST = Integer.MAX_VALUE - 10;

    private static final ExtensionContext.Namespace PLATFORMS =
            ExtensionContext.Namespace.create(SharedPlatforms.class);
    private static final String BLACK_BOX = "black-box";
    private static final String DRILLS = "drills";

    private SharedPlatforms() {
    }

    /**
     * The drill platform, started on the first call of the test run. {@code -Dqnsp.drills.shared-jvm=true} runs it
     * with the services in one JVM, lighter while writing a drill that kills no single service.
     */
    static RunningPlatform drills(ExtensionContext context) {
        RunningPlatform.Options options = Boolean.getBoolean("qnsp.drills.shared-jvm")
                ? new RunningPlatform.Options(true, true) : RunningPlatform.Options.DRILLS;
        ExtensionContext.Store store = context.getRoot().getStore(PLATFORMS);
        RunningPlatform blackBox = store.remove(BLACK_BOX, RunningPlatform.class);
        if (blackBox != null) {
            try {
                blackBox.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the black-box platform", e);
            }
        }
        return started(store, DRILLS, options);
    }

    /** The black-box platform ({@link RunningPlatform.Options#BLACK_BOX}), started on the first call. */
    static RunningPlatform blackBox(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(PLATFORMS);
        if (store.get(DRILLS) != null) {
            throw new IllegalStateException("the black-box classes run before the drills (see the class order)");
        }
        return started(store, BLACK_BOX, RunningPlatform.Options.BLACK_BOX);
    }

    private static RunningPlatform started(ExtensionContext.Store store, String name, RunningPlatform.Options options) {
        return store.computeIfAbsent(name, key -> {
            try {
                return RunningPlatform.start(Duration.ofMinutes(10), options);
            } catch (Exception e) {
                throw new IllegalStateException("the " + name + " platform did not start", e);
            }
        }, RunningPlatform.class);
    }
}
