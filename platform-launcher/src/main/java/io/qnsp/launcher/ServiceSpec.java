package io.qnsp.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One service of the platform as configured: its name, port, executable jar, the secrets (name → kind) and other
 * environment it receives, the file it writes once for the launcher to show (first-start credentials), and its JVM
 * options: those every service of the embedded platform gets ({@code java-options}), then its own
 * ({@code service.<name>.java-options}), both on top of the launcher's defaults.
 */
record ServiceSpec(String name, int port, Path jar, Map<String, String> secrets, Map<String, String> environment,
                   Path announce, List<String> javaOptions) {

    ServiceSpec {
        javaOptions = List.copyOf(javaOptions);
    }

    static List<ServiceSpec> fromConfig(Properties config, Path projectRoot, Path home) throws IOException {
        List<ServiceSpec> specs = new ArrayList<>();
        for (String name : config.getProperty("services", "").split(",")) {
            name = name.strip();
            if (name.isEmpty()) {
                continue;
            }
            String port = config.getProperty("service." + name + ".port");
            if (port == null) {
                throw new LaunchFailure("service." + name + ".port is not configured");
            }
            Map<String, String> secrets = new LinkedHashMap<>();
            for (String secret : config.getProperty("service." + name + ".secrets", "").split(",")) {
                if (!secret.isBlank()) {
                    String[] parts = secret.strip().split(":", 2);
                    secrets.put(parts[0], parts.length > 1 ? parts[1] : "token");
                }
            }
            Map<String, String> environment = new LinkedHashMap<>();
            for (String entry : config.getProperty("service." + name + ".env", "").split(",")) {
                if (!entry.isBlank()) {
                    String[] parts = entry.strip().split("=", 2);
                    environment.put(parts[0], parts.length > 1 ? withHome(parts[1], home) : "");
                }
            }
            String announce = config.getProperty("service." + name + ".announce");
            String jar = config.getProperty("service." + name + ".jar");
            specs.add(new ServiceSpec(name, Integer.parseInt(port),
                    jar != null ? Path.of(jar) : findJar(projectRoot.resolve(name).resolve("target"), name), secrets,
                    environment, announce == null ? null : Path.of(withHome(announce, home)),
                    Stream.concat(options(config.getProperty("java-options")).stream(),
                            options(config.getProperty("service." + name + ".java-options")).stream()).toList()));
        }
        return specs;
    }

    /** JVM options as written on a command line, split at whitespace; none when absent or blank. */
    static List<String> options(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.strip().split("\\s+"));
    }

    private static String withHome(String value, Path home) {
        return value.replace("${home}", home.toString());
    }

    private static Path findJar(Path target, String name) throws IOException {
        if (!Files.isDirectory(target)) {
            throw new LaunchFailure("no build of " + name + " in " + target + ": run ./mvnw -DskipTests package");
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().startsWith(name + "-"))
                    .filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .filter(f -> !f.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst()
                    .orElseThrow(() -> new LaunchFailure("no executable jar of " + name + " in " + target));
        }
    }
}
