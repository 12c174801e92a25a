package io.qnsp.deployment;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kubernetes API's JSON schemas of one version, in their strict standalone form (an unknown field is an error),
 * vendored under {@code schemas/} in the test resources; a resource is checked against the schema of its kind.
 */
final class KubernetesSchemas {

    static final String VERSION = "v1.32.2";
    private static final String DIRECTORY = "/schemas/kubernetes-" + VERSION + "-standalone-strict/";

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    /** The schema file of a kind: {@code deployment-apps-v1.json} for apps/v1 Deployment, {@code service-v1.json}. */
    static String fileName(String apiVersion, String kind) {
        String[] parts = apiVersion.split("/");
        String group = parts.length == 2 ? parts[0].split("\\.")[0] + "-" : "";
        return kind.toLowerCase(Locale.ROOT) + "-" + group + parts[parts.length - 1] + ".json";
    }

    /** What is wrong with a whole resource: every schema error, each naming where it is. */
    List<String> problems(JsonNode resource) {
        return errors(resource, false);
    }

    /** What is wrong with a patch: the errors of a whole resource except fields it may leave out. */
    List<String> patchProblems(JsonNode patch) {
        return errors(patch, true);
    }

    private List<String> errors(JsonNode resource, boolean partial) {
        String apiVersion = resource.path("apiVersion").asString("");
        String kind = resource.path("kind").asString("");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            return List.of("a resource without apiVersion or kind");
        }
        Schema schema = schemas.computeIfAbsent(fileName(apiVersion, kind), this::load);
        return schema.validate(resource).stream()
                .filter(error -> !(partial && "required".equals(error.getKeyword())))
                .map(KubernetesSchemas::describe)
                .toList();
    }

    private static String describe(Error error) {
        return error.getInstanceLocation() + ": " + error.getMessage();
    }

    private Schema load(String file) {
        try (InputStream in = KubernetesSchemas.class.getResourceAsStream(DIRECTORY + file)) {
            if (in == null) {
                throw new IllegalStateException("no Kubernetes " + VERSION + " schema " + file + " in the test resources"
                        + " (add the kind's standalone-strict schema to " + DIRECTORY + ")");
            }
            // the files name their dialect "http://json-schema.org/schema#" (no draft); they are draft 4
            ObjectNode schema = (ObjectNode) Repository.JSON.readTree(in);
            schema.remove("$schema");
            return registry.getSchema(schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
