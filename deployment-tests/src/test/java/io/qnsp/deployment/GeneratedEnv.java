package io.qnsp.deployment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs docker/generate-env into a file and reads what it wrote. */
final class GeneratedEnv {

    private GeneratedEnv() {
    }

    static Map<String, String> generate(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", Repository.file("docker/generate-env").toString(), file.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("docker/generate-env failed: " + output);
        }
        return read(file);
    }

    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] parts = line.split("=", 2);
                values.put(parts[0], parts[1]);
            }
        }
        return values;
    }
}
