package io.qnsp.deployment;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The repository's files under test (the top level, set by the build as {@code qnsp.repository}), read as YAML. */
final class Repository {

    static final ObjectMapper YAML = YAMLMapper.builder().build();
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private Repository() {
    }

    static Path root() {
        String configured = System.getProperty("qnsp.repository");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        return root.toAbsolutePath().normalize();
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every non-empty YAML document of a file, in order. */
    static List<JsonNode> yamlDocuments(Path file) {
        try (var documents = YAML.readerFor(JsonNode.class).readValues(read(file))) {
            return documents.readAll().stream()
                    .map(node -> (JsonNode) node)
                    .filter(node -> node != null && !node.isNull() && !node.isMissingNode())
                    .toList();
        }
    }

    static JsonNode yaml(Path file) {
        List<JsonNode> documents = yamlDocuments(file);
        if (documents.size() != 1) {
            throw new IllegalStateException(file + " holds " + documents.size() + " YAML documents, not one");
        }
        return documents.getFirst();
    }

    static JsonNode json(Path file) {
        return JSON.readTree(read(file));
    }
}
