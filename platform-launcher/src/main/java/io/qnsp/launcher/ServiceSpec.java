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

/** One service of the platform as configured: its name, port, executable jar and the secrets it receives. */
record ServiceSpec(String name, int port, Path jar, Map<String, String> secrets) {

    static List<ServiceSpec> fromConfig(Properties config, Path projectRoot) throws IOException {
        List<ServiceSpec> specs = new ArrayList<>();
        for (String name : config.getProperty("services", "").split(",")) {
            name = name.strip();
            if (name.isEmpty()) {
                continue;
            }
            String port = config.getProperty("service." + name + ".port");
            if (port == null) {
                throw new IllegalStateException("service." + name + ".port is not configured");
            }
            Map<String, String> secrets = new LinkedHashMap<>();
            for (String secret : config.getProperty("service." + name + ".secrets", "").split(",")) {
                if (!secret.isBlank()) {
                    String[] parts = secret.strip().split(":", 2);
                    secrets.put(parts[0], parts.length > 1 ? parts[1] : "token");
                }
            }
            String jar = config.getProperty("service." + name + ".jar");
            specs.add(new ServiceSpec(name, Integer.parseInt(port),
                    jar != null ? Path.of(jar) : findJar(projectRoot.resolve(name).resolve("target"), name), secrets));
        }
        return specs;
    }

    private static Path findJar(Path target, String name) throws IOException {
        if (!Files.isDirectory(target)) {
            throw new IllegalStateException("no build of " + name + " in " + target + ": run ./mvnw -DskipTests package");
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().startsWith(name + "-"))
                    .filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .filter(f -> !f.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no executable jar of " + name + " in " + target));
        }
    }
}
