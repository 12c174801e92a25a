package io.qnsp.deployment;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kustomize build} does, for the features k8s/ uses and no more:
 * {@code resources} (files and directories holding a kustomization), {@code namespace}, {@code patches} given by
 * {@code path} (strategic merge patches, each applied to the resource of the same kind and name; a file may hold
 * several) and {@code configMapGenerator} from files or literals with {@code disableNameSuffixHash}. Any other
 * field makes rendering fail rather than be ignored. Strategic merge follows Kubernetes' merge keys for containers,
 * env, volumes and volume mounts, and ports; every other list is replaced by the patch's.
 */
final class Kustomize {

    static final String FILE = "kustomization.yaml";
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "namespace", "resources", "patches",
            "configMapGenerator", "generatorOptions");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "PersistentVolume", "StorageClass", "IngressClass", "PriorityClass");
    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name",
            "env", "name", "volumes", "name", "volumeMounts", "mountPath", "imagePullSecrets", "name");

    private Kustomize() {
    }

    static List<ObjectNode> render(Path directory) {
        JsonNode kustomization = Repository.yaml(directory.resolve(FILE));
        kustomization.propertyNames().forEach(field -> {
            if (!SUPPORTED.contains(field)) {
                throw new IllegalStateException(directory.resolve(FILE) + ": " + field + " is not supported here");
            }
        });
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path path = directory.resolve(entry.asString()).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(render(path));
            } else {
                Repository.yamlDocuments(path).forEach(document -> resources.add((ObjectNode) document));
            }
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            if (!kustomization.at("/generatorOptions/disableNameSuffixHash").asBoolean(false)) {
                throw new IllegalStateException(directory + ": a generated ConfigMap needs disableNameSuffixHash here");
            }
            ObjectNode configMap = Repository.JSON.createObjectNode();
            configMap.put("apiVersion", "v1");
            configMap.put("kind", "ConfigMap");
            configMap.putObject("metadata").put("name", generator.path("name").asString());
            ObjectNode data = configMap.putObject("data");
            for (JsonNode file : generator.path("files")) {
                Path path = directory.resolve(file.asString());
                data.put(path.getFileName().toString(), Repository.read(path));
            }
            for (JsonNode literal : generator.path("literals")) {
                String[] parts = literal.asString().split("=", 2);
                data.put(parts[0], parts[1]);
            }
            resources.add(configMap);
        }
        for (JsonNode patchEntry : kustomization.path("patches")) {
            if (!patchEntry.has("path") || patchEntry.size() != 1) {
                throw new IllegalStateException(directory + ": only patches given by path are supported here");
            }
            for (JsonNode patch : Repository.yamlDocuments(directory.resolve(patchEntry.path("path").asString()))) {
                ObjectNode target = resources.stream().filter(resource -> sameResource(resource, patch)).findFirst()
                        .orElseThrow(() -> new IllegalStateException(directory + ": patch "
                                + patch.path("kind").asString() + " " + patch.at("/metadata/name").asString()
                                + " matches no resource"));
                merge(target, (ObjectNode) patch);
            }
        }
        if (kustomization.has("namespace")) {
            for (ObjectNode resource : resources) {
                if (!CLUSTER_SCOPED.contains(resource.path("kind").asString())) {
                    ((ObjectNode) resource.path("metadata")).put("namespace", kustomization.path("namespace").asString());
                }
            }
        }
        return resources;
    }

    static boolean sameResource(JsonNode a, JsonNode b) {
        return a.path("kind").asString().equals(b.path("kind").asString())
                && group(a).equals(group(b))
                && a.at("/metadata/name").asString().equals(b.at("/metadata/name").asString());
    }

    private static String group(JsonNode resource) {
        String apiVersion = resource.path("apiVersion").asString();
        return apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    }

    /** Applies a strategic merge patch to a resource, in place. */
    static void merge(ObjectNode target, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(name);
            if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, (ObjectNode) value);
            } else if (value.isArray() && existing != null && existing.isArray() && mergeKey(name, value) != null) {
                mergeList((ArrayNode) existing, (ArrayNode) value, mergeKey(name, value));
            } else {
                target.set(name, value.deepCopy());
            }
        }
    }

    private static String mergeKey(String field, JsonNode patchList) {
        if (field.equals("ports")) {
            return patchList.isEmpty() ? null : patchList.get(0).has("containerPort") ? "containerPort" : "port";
        }
        return MERGE_KEYS.get(field);
    }

    private static void mergeList(ArrayNode target, ArrayNode patch, String key) {
        for (JsonNode element : patch) {
            JsonNode match = null;
            for (JsonNode candidate : target) {
                if (candidate.path(key).equals(element.path(key))) {
                    match = candidate;
                }
            }
            if (match != null && match.isObject() && element.isObject()) {
                merge((ObjectNode) match, (ObjectNode) element);
            } else {
                target.add(element.deepCopy());
            }
        }
    }
}
