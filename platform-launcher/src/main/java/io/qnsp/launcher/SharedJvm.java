package io.qnsp.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The embedded platform's shared JVM: the services named by {@code shared-jvm.services} run in one JVM, the
 * service host (module {@code service-host}), instead of one JVM each. Their libraries are loaded, linked and
 * compiled once instead of once per service, which is most of a service's start-up work and of its memory
 * (docs/performance.md); the price is a shared fate: one heap, one crash. Compose and Kubernetes always run one
 * service per container, and {@code QNSP_SHARED_JVM=off} runs every service as its own process here too (what a
 * test that kills one service needs).
 * <p>
 * Each hosted service's executable jar is unpacked once per build ({@link Hosted#unpack}). Every hosted service's
 * libraries go on the host's class path, each jar once, through the manifest of a
 * small jar written into the platform's home, {@code shared-jvm/service-host.jar}, which also names the host's own
 * classes. A service's class loader sees only the libraries it ships itself (the plan names them), so a library
 * another service brought does not switch on its auto-configuration there.
 */
final class SharedJvm {

    static final String NAME = "service-host";

    private final List<ServiceSpec> hosted;
    private final List<String> javaOptions;
    private final Path hostClasses;
    /** Each hosted service as extracted, once {@link #prepare} has run. */
    private Map<ServiceSpec, Hosted> prepared = Map.of();

    private SharedJvm(List<ServiceSpec> hosted, List<String> javaOptions, Path hostClasses) {
        this.hosted = List.copyOf(hosted);
        this.javaOptions = List.copyOf(javaOptions);
        this.hostClasses = hostClasses;
    }

    /**
     * The services {@code shared-jvm.services} names among those configured (at least two, or none is hosted), unless
     * {@code setting} ({@code QNSP_SHARED_JVM}) is off.
     */
    static SharedJvm configure(Properties config, List<ServiceSpec> specs, Path projectRoot, String setting)
            throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (String name : config.getProperty("shared-jvm.services", "").split(",")) {
            if (!name.isBlank()) {
                names.add(name.strip());
            }
        }
        List<ServiceSpec> hosted = specs.stream().filter(spec -> names.contains(spec.name())).toList();
        if (!AotCache.enabled(setting) || hosted.size() < 2) {
            return new SharedJvm(List.of(), List.of(), null);
        }
        List<String> options = new ArrayList<>(ServiceSpec.options(config.getProperty("java-options")));
        options.addAll(ServiceSpec.options(config.getProperty("shared-jvm.java-options")));
        return new SharedJvm(hosted, options, hostJar(projectRoot.resolve(NAME).resolve("target")));
    }

    boolean hosts(ServiceSpec spec) {
        return hosted.contains(spec);
    }

    boolean isEmpty() {
        return hosted.isEmpty();
    }

    List<ServiceSpec> hosted() {
        return hosted;
    }

    /**
     * Unpacks the hosted services' jars where needed and writes the host's class-path jar; returns the host as a
     * service of its own (no port: each hosted service answers on its own) to start like any other.
     */
    ServiceSpec prepare(Path home) throws IOException {
        Path root = home.resolve("shared-jvm");
        Map<ServiceSpec, Hosted> unpacked = new LinkedHashMap<>();
        for (ServiceSpec spec : hosted) {
            unpacked.put(spec, Hosted.unpack(spec, root));
        }
        List<String> classPath = new ArrayList<>();
        classPath.add(hostClasses.toUri().toString());
        requireOneBuildOfEachLibrary(unpacked);
        libraries(unpacked.values()).forEach(library -> classPath.add(library.toUri().toString()));
        Path jar = writeIfChanged(root.resolve(NAME + ".jar"), classPath);
        this.prepared = unpacked;
        return new ServiceSpec(NAME, 0, jar, Map.of(), Map.of(), null, javaOptions);
    }

    /**
     * The plan the host reads on its standard input: where to log, and each hosted service's classes, libraries,
     * main class and environment.
     */
    Properties plan(Path logs, Map<String, Map<String, String>> environments) {
        Properties plan = new Properties();
        plan.setProperty("logs", logs.toString());
        plan.setProperty("services", String.join(",", hosted.stream().map(ServiceSpec::name).toList()));
        for (ServiceSpec spec : hosted) {
            Hosted service = prepared.get(spec);
            String prefix = "service." + spec.name() + ".";
            plan.setProperty(prefix + "classes", service.classes().toString());
            plan.setProperty(prefix + "libraries", String.join(",",
                    service.libraries().stream().map(l -> l.getFileName().toString()).toList()));
            plan.setProperty(prefix + "main-class", service.mainClass());
            environments.getOrDefault(spec.name(), Map.of()).forEach((variable, value) ->
                    plan.setProperty(prefix + "env." + variable, value));
        }
        return plan;
    }

    /**
     * One JVM loads a library once, by its file name: services shipping different contents under one name (jars of
     * separate builds, e.g. after rebuilding common-lib and only some services) would run on whichever comes first.
     * Refuses to start then, naming the jar and the services.
     */
    static void requireOneBuildOfEachLibrary(Map<ServiceSpec, Hosted> unpacked) {
        Map<String, Map<Path, List<String>>> byName = new TreeMap<>();
        unpacked.forEach((spec, service) -> service.libraries().forEach(library -> byName
                .computeIfAbsent(library.getFileName().toString(), name -> new LinkedHashMap<>())
                .computeIfAbsent(library, path -> new ArrayList<>()).add(spec.name())));
        List<String> mixed = new ArrayList<>();
        byName.forEach((name, builds) -> {
            if (builds.size() > 1) {
                mixed.add(name + " (" + String.join(" | ", builds.values().stream()
                        .map(services -> String.join(", ", services)).toList()) + ")");
            }
        });
        if (!mixed.isEmpty()) {
            throw new LaunchFailure("The services to share one JVM ship different builds of the same library: "
                    + String.join("; ", mixed) + ". Build them together (./mvnw -q package -DskipTests "
                    + "-Dqnsp.platform-only, or run ./platform after a source change), or run each in its own JVM "
                    + "with QNSP_SHARED_JVM=off.");
        }
    }

    /** Every hosted service's libraries, each jar once (the same file holds the same content: see {@link Hosted}). */
    static List<Path> libraries(Iterable<Hosted> services) {
        Set<Path> libraries = new LinkedHashSet<>();
        for (Hosted service : services) {
            libraries.addAll(service.libraries());
        }
        return List.copyOf(libraries);
    }

    /** A hosted service as unpacked: its classes and resources, its libraries, its main class. */
    record Hosted(Path classes, List<Path> libraries, String mainClass) {

        /**
         * Unpacks a Spring Boot executable jar under {@code root}, without starting a JVM: its classes and resources
         * ({@code BOOT-INF/classes/}) into {@code <service>/<key>/classes} once per build, and each library
         * ({@code BOOT-INF/lib/}) into {@code lib/<checksum>/<file name>}, so the services of one build share one
         * copy of each jar, and a library rebuilt under the same name (a snapshot) gets a directory of its own.
         */
        static Hosted unpack(ServiceSpec spec, Path root) throws IOException {
            Path serviceDirectory = root.resolve(spec.name());
            Path directory = serviceDirectory.resolve(AotCache.key(spec.jar(), "", List.of()));
            Path classes = directory.resolve("classes");
            Path complete = directory.resolve("unpacked");
            List<Path> libraries = new ArrayList<>();
            String mainClass;
            try (JarFile jar = new JarFile(spec.jar().toFile())) {
                mainClass = jar.getManifest().getMainAttributes().getValue("Start-Class");
                if (mainClass == null) {
                    throw new LaunchFailure(spec.jar() + " is not a Spring Boot executable jar (no Start-Class)");
                }
                boolean unpackClasses = !Files.exists(complete);
                if (unpackClasses) {
                    AotCache.deleteRecursively(serviceDirectory);
                }
                for (JarEntry entry : Collections.list(jar.entries())) {
                    String name = entry.getName();
                    if (name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar")) {
                        String file = name.substring("BOOT-INF/lib/".length());
                        Path library = root.resolve("lib").resolve(HexFormat.of().toHexDigits((int) entry.getCrc()))
                                .resolve(file);
                        if (!Files.isRegularFile(library) || Files.size(library) != entry.getSize()) {
                            copy(jar, entry, library);
                        }
                        libraries.add(library);
                    } else if (unpackClasses && name.startsWith("BOOT-INF/classes/") && !entry.isDirectory()) {
                        copy(jar, entry, classes.resolve(name.substring("BOOT-INF/classes/".length())));
                    }
                }
                if (unpackClasses) {
                    Files.createDirectories(classes);
                    Files.createFile(complete);
                }
            }
            return new Hosted(classes, libraries, mainClass);
        }

        private static void copy(JarFile jar, JarEntry entry, Path target) throws IOException {
            Path parent = target.getParent();
            Files.createDirectories(parent);
            Path partial = Files.createTempFile(parent, target.getFileName().toString(), ".partial");
            try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * A jar with only a manifest: the host's main class and its class path. Rewritten only when the class path
     * or one of its jars changes (a build renews the host's own jar), so its size and time, which key its AOT cache,
     * stay the same from one start to the next until then.
     */
    private static Path writeIfChanged(Path jar, List<String> classPath) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.qnsp.host.ServiceHost");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            out.flush();
        }
        byte[] content = bytes.toByteArray();
        Path manifestCopy = jar.resolveSibling(NAME + ".classpath");
        StringBuilder listing = new StringBuilder();
        for (String entry : classPath) {
            Path file = Path.of(URI.create(entry));
            listing.append(entry).append(' ').append(Files.size(file)).append(' ')
                    .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
        }
        if (Files.isRegularFile(jar) && Files.isRegularFile(manifestCopy)
                && Files.readString(manifestCopy).contentEquals(listing)) {
            return jar;
        }
        Files.createDirectories(jar.getParent());
        Files.write(jar, content);
        Files.writeString(manifestCopy, listing);
        return jar;
    }

    private static Path hostJar(Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            throw new LaunchFailure("no build of " + NAME + " in " + target + ": run ./mvnw -DskipTests package");
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches(NAME + "-.*\\.jar"))
                    .filter(f -> !f.getFileName().toString().endsWith("-sources.jar"))
                    .findFirst()
                    .orElseThrow(() -> new LaunchFailure("no jar of " + NAME + " in " + target));
        }
    }
}
