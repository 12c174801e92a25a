package io.qnsp.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A service's JDK AOT cache (JEP 483, 514, 515): the classes it loads at start-up, already parsed and linked, with
 * the heap objects and profiles of a previous run, so the next start skips that work.
 * <p>
 * A cache covers only classes loaded from plain jars on the class path, not from the jars nested in a Spring Boot
 * executable jar, so the service runs from its jar extracted once ({@code -Djarmode=tools extract}: the application
 * jar and {@code lib/} beside it). The first start with a build is the training run ({@code -XX:AOTMode=record}): the
 * service records which classes it loaded into a configuration file when it stops. The launcher then assembles the
 * caches from those files ({@code -XX:AOTMode=create}), after the services, PostgreSQL and Redis have stopped, as
 * many at a time as there are processors; that makes this one stop slower, and every later start uses the cache
 * ({@code -XX:AOTCache}). (The JDK's one-step {@code -XX:AOTCacheOutput} would have every service's JVM start a
 * second JVM to assemble its cache while it exits: all at once, each beside a full training JVM.) A cache is
 * written under a temporary name and renamed when complete, so a stop cut short leaves none, and the next start
 * trains again.
 * <p>
 * Everything lives in the platform's home under {@code aot/<service>/<key>/}, where the key changes with the jar
 * (size and modification time, which {@code ./platform}'s build renews), the JVM and the service's JVM options,
 * since a cache only fits the JVM and class path that created it; older keys are deleted. A cache the JVM cannot
 * use is reported in the service's log and the service starts without it.
 */
record AotCache(Path jar, List<String> options, Path cacheFile, boolean training) {

    private static final Duration CREATION_PATIENCE = Duration.ofMinutes(10);

    /** The service's own jar, unchanged, when caches are switched off or the jar cannot be extracted. */
    static AotCache none(ServiceSpec spec) {
        return none(spec.jar());
    }

    /** {@code jar} as it is, without a cache. */
    static AotCache none(Path jar) {
        return new AotCache(jar, List.of(), null, false);
    }

    static boolean enabled(String setting) {
        return setting == null || setting.isBlank() || !List.of("off", "false", "no", "0")
                .contains(setting.strip().toLowerCase());
    }

    /**
     * Extracts the jar on the first start with it (the output goes to {@code log}) and chooses between training
     * and using the cache.
     */
    static AotCache prepare(ServiceSpec spec, String java, List<String> jvmOptions, Path home, Path log)
            throws IOException, InterruptedException {
        Path serviceDirectory = home.resolve("aot").resolve(spec.name());
        Path directory = serviceDirectory.resolve(key(spec.jar(), java, jvmOptions));
        Path extractedJar = extract(spec.jar(), java, directory, log);
        if (extractedJar == null) {
            Files.writeString(log, "Could not extract " + spec.jar() + " for its AOT cache; starting without one"
                    + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            deleteRecursively(serviceDirectory);
            return none(spec);
        }
        return forJar(spec.name(), extractedJar, directory);
    }

    /**
     * The cache of a jar whose classes are all on the plain class path already (its own and those its manifest's
     * {@code Class-Path} names), such as the shared JVM's ({@link SharedJvm}): kept in {@code directory}.
     */
    static AotCache forJar(String name, Path jar, Path directory) throws IOException {
        // caches of an earlier build or other options are of no use any more
        if (Files.isDirectory(directory.getParent())) {
            try (Stream<Path> keys = Files.list(directory.getParent())) {
                for (Path other : keys.filter(k -> !k.equals(directory)).toList()) {
                    deleteRecursively(other);
                }
            }
        }
        Files.createDirectories(directory);
        Path cacheFile = directory.resolve(name + ".aot");
        if (Files.isRegularFile(cacheFile) && Files.size(cacheFile) > 0) {
            return new AotCache(jar, List.of("-XX:AOTCache=" + cacheFile), cacheFile, false);
        }
        // the training run warns about every class it leaves out (a few per service, from multi-release jars);
        // errors still reach the service's log
        return new AotCache(jar, List.of("-XX:AOTMode=record",
                "-XX:AOTConfiguration=" + configuration(cacheFile), "-Xlog:aot=error"), cacheFile, true);
    }

    /**
     * A Spring Boot executable jar extracted into {@code directory} (application jar under {@code app/}, its
     * libraries under {@code app/lib/}), once: later calls find it there. Older extractions beside
     * {@code directory} are deleted. Returns the application jar, or null when the extraction failed (the tool's
     * output is in {@code log}).
     */
    static Path extract(Path jar, String java, Path directory, Path log) throws IOException, InterruptedException {
        Path application = directory.resolve("app");
        Path extractedJar = application.resolve(jar.getFileName());
        Path extracted = directory.resolve("extracted");
        if (Files.exists(extracted)) {
            return extractedJar;
        }
        deleteRecursively(directory.getParent());
        Files.createDirectories(directory);
        Process extraction = new ProcessBuilder(java, "-Djarmode=tools", "-jar", jar.toString(),
                "extract", "--destination", application.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!extraction.waitFor(5, TimeUnit.MINUTES) || extraction.exitValue() != 0
                || !Files.isRegularFile(extractedJar)) {
            extraction.destroyForcibly();
            deleteRecursively(directory);
            return null;
        }
        Files.createFile(extracted);
        return extractedJar;
    }

    /**
     * Assembles the cache from what the training run recorded, with the JVM options the service ran with
     * ({@code jvmOptions}: the command line up to {@code -jar}); the JVM's output goes to {@code log}. Returns
     * whether the cache is now there.
     */
    boolean create(List<String> jvmOptions, Path log) throws IOException, InterruptedException {
        Path configuration = configuration(cacheFile);
        if (!training || !Files.isRegularFile(configuration)) {
            return false;
        }
        Path partial = cacheFile.resolveSibling(cacheFile.getFileName() + ".partial");
        List<String> command = new ArrayList<>(jvmOptions);
        command.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration,
                "-XX:AOTCache=" + partial, "-Xlog:aot=error", "-cp", jar.toString()));
        Process creation = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            if (!creation.waitFor(CREATION_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                creation.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            creation.destroyForcibly();
            Files.deleteIfExists(partial);
            throw e;
        }
        if (creation.exitValue() != 0 || !Files.isRegularFile(partial)) {
            Files.deleteIfExists(partial);
            return false;
        }
        Files.move(partial, cacheFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(configuration);
        return true;
    }

    private static Path configuration(Path cacheFile) {
        return cacheFile.resolveSibling(cacheFile.getFileName() + "conf");
    }

    /** After a training run was killed: what it may have recorded half must not be used. */
    void discardUnfinished() {
        if (training) {
            try {
                Files.deleteIfExists(configuration(cacheFile));
            } catch (IOException e) {
                System.err.println("could not delete " + configuration(cacheFile) + ": " + e.getMessage());
            }
        }
    }

    static String key(Path jar, String java, List<String> jvmOptions) throws IOException {
        String identity = String.join("\n", jar.toAbsolutePath().toString(), Long.toString(Files.size(jar)),
                Long.toString(Files.getLastModifiedTime(jar).toMillis()), java, Runtime.version().toString(),
                String.join(" ", jvmOptions));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(directory)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }
}
