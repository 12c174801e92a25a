package io.qnsp.deployment;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every manifest under k8s/ against the Kubernetes API's strict JSON schemas: each file as written (patches as
 * partial resources), and the base and each overlay as kustomize renders them.
 */
class KubernetesManifestsTests {

    private static final Path K8S = Repository.file("k8s");
    private static final List<String> KUSTOMIZATIONS = List.of("base", "overlays/production", "overlays/try-it");

    private final KubernetesSchemas schemas = new KubernetesSchemas();

    @Test
    void everyManifestFileValidatesAgainstTheKubernetesSchemas() throws IOException {
        Set<Path> patches = patchFiles();
        List<String> problems = new ArrayList<>();
        int documents = 0;
        for (Path file : manifestFiles()) {
            for (JsonNode document : Repository.yamlDocuments(file)) {
                documents++;
                List<String> found = patches.contains(file) ? schemas.patchProblems(document) : schemas.problems(document);
                found.forEach(problem -> problems.add(K8S.relativize(file) + " " + document.path("kind").asString()
                        + " " + document.at("/metadata/name").asString() + ": " + problem));
            }
        }
        assertThat(problems).isEmpty();
        assertThat(documents).isGreaterThan(40);
    }

    @Test
    void theBaseAndEveryOverlayRenderToValidResources() {
        for (String kustomization : KUSTOMIZATIONS) {
            List<ObjectNode> resources = Kustomize.render(K8S.resolve(kustomization));
            List<String> problems = new ArrayList<>();
            for (ObjectNode resource : resources) {
                schemas.problems(resource).forEach(problem -> problems.add(kustomization + " "
                        + resource.path("kind").asString() + " " + resource.at("/metadata/name").asString() + ": "
                        + problem));
            }
            assertThat(problems).as(kustomization).isEmpty();
            assertThat(resources).as(kustomization).isNotEmpty();
        }
    }

    @Test
    void anUnknownFieldOrAWrongTypeIsRefused() {
        ObjectNode deployment = deployment("base", "auth-service");
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("livenessProbes", "typo");
        assertThat(schemas.problems(deployment)).anySatisfy(problem -> assertThat(problem).contains("livenessProbes"));

        ObjectNode service = find(Kustomize.render(K8S.resolve("base")), "Service", "auth-service");
        ((ObjectNode) service.at("/spec/ports/0")).put("port", "eighty-eighty-one");
        assertThat(schemas.problems(service)).anySatisfy(problem -> assertThat(problem).contains("/spec/ports/0/port"));
    }

    @Test
    void everyWorkloadHasProbesResourcesAndANonRootReadOnlyPod() {
        for (String kustomization : KUSTOMIZATIONS) {
            List<String> violations = new ArrayList<>();
            for (ObjectNode resource : Kustomize.render(K8S.resolve(kustomization))) {
                String kind = resource.path("kind").asString();
                if (kind.equals("Deployment") || kind.equals("StatefulSet")) {
                    violations.addAll(WorkloadRules.violations(resource, true));
                }
            }
            assertThat(violations).as(kustomization).isEmpty();
        }
    }

    @Test
    void aDeploymentWithoutProbesOrResourcesBreaksTheRules() {
        ObjectNode deployment = deployment("base", "kms-service");
        ObjectNode container = (ObjectNode) deployment.at("/spec/template/spec/containers/0");
        container.remove("readinessProbe");
        container.remove("livenessProbe");
        container.remove("resources");

        assertThat(WorkloadRules.violations(deployment, true)).containsExactlyInAnyOrder(
                "Deployment kms-service container kms-service: no readinessProbe",
                "Deployment kms-service container kms-service: no livenessProbe",
                "Deployment kms-service container kms-service: no resources.requests.cpu",
                "Deployment kms-service container kms-service: no resources.requests.memory",
                "Deployment kms-service container kms-service: no resources.limits.memory");
    }

    @Test
    void theOverlaysPatchWhatTheySay() {
        List<ObjectNode> production = Kustomize.render(K8S.resolve("overlays/production"));
        assertThat(production).allSatisfy(resource -> {
            if (!resource.path("kind").asString().equals("Namespace")) {
                assertThat(resource.at("/metadata/namespace").asString()).isEqualTo("qnsp");
            }
        });
        ObjectNode ingress = find(production, "Ingress", "gateway-service");
        assertThat(ingress.at("/spec/tls/0/secretName").asString()).isEqualTo("qnsp-gateway-tls");
        // the patch changed the rules and left the base's annotations in place
        assertThat(ingress.at("/metadata/annotations").propertyNames())
                .contains("nginx.ingress.kubernetes.io/proxy-body-size");
        assertThat(production).noneMatch(resource -> resource.path("kind").asString().equals("StatefulSet"));

        List<ObjectNode> tryIt = Kustomize.render(K8S.resolve("overlays/try-it"));
        assertThat(find(tryIt, "StatefulSet", "postgres")).isNotNull();
        assertThat(find(tryIt, "StatefulSet", "redis")).isNotNull();
        ObjectNode auth = find(tryIt, "Deployment", "auth-service");
        assertThat(auth.at("/spec/replicas").asInt()).isEqualTo(1);
        // the replica patch left the container (probes, env) of the base untouched
        assertThat(auth.at("/spec/template/spec/containers/0/readinessProbe/httpGet/path").asString())
                .isEqualTo("/actuator/health/readiness");
        assertThat(find(tryIt, "HorizontalPodAutoscaler", "gateway-service").at("/spec/minReplicas").asInt())
                .isEqualTo(1);
        assertThat(find(tryIt, "ConfigMap", "postgres-init").at("/data/postgres-init-schemas.sh").asString())
                .isEqualTo(Repository.read(Repository.file("docker/postgres/init-schemas.sh")));
    }

    @Test
    void everyFileOfAKustomizationIsUsedByIt() throws IOException {
        for (String kustomization : KUSTOMIZATIONS) {
            Path directory = K8S.resolve(kustomization);
            JsonNode file = Repository.yaml(directory.resolve(Kustomize.FILE));
            Set<String> referenced = new HashSet<>();
            file.path("resources").forEach(entry -> referenced.add(entry.asString()));
            file.path("patches").forEach(entry -> referenced.add(entry.path("path").asString()));
            file.path("configMapGenerator").forEach(generator ->
                    generator.path("files").forEach(entry -> referenced.add(entry.asString())));
            try (Stream<Path> files = Files.list(directory)) {
                List<String> unused = files.map(f -> f.getFileName().toString())
                        .filter(name -> !name.equals(Kustomize.FILE) && !referenced.contains(name)).toList();
                assertThat(unused).as(kustomization).isEmpty();
            }
        }
    }

    /** Where kubectl is installed, its own kustomize renders the same resources as the renderer of these tests. */
    @Test
    void kubectlKustomizeRendersTheSameResources() throws Exception {
        String kubectl = Executables.find("kubectl").orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(kubectl != null, "kubectl is not installed");
        for (String kustomization : KUSTOMIZATIONS) {
            Process process = new ProcessBuilder(kubectl, "kustomize", K8S.resolve(kustomization).toString())
                    .redirectErrorStream(false).start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(err).isZero();
            Path rendered = Files.createTempFile("kustomize", ".yaml");
            Files.write(rendered, out);
            List<JsonNode> theirs = Repository.yamlDocuments(rendered);
            Files.delete(rendered);
            List<ObjectNode> ours = Kustomize.render(K8S.resolve(kustomization));
            assertThat(theirs).as(kustomization).hasSameSizeAs(ours);
            for (JsonNode resource : theirs) {
                JsonNode mine = ours.stream().filter(r -> Kustomize.sameResource(r, resource)).findFirst().orElse(null);
                assertThat(mine).as(kustomization + " " + resource.path("kind") + " " + resource.at("/metadata/name"))
                        .isNotNull();
                assertThat(mine).as(kustomization + " " + resource.at("/metadata/name")).isEqualTo(resource);
                assertThat(schemas.problems(resource)).isEmpty();
            }
        }
    }

    private static ObjectNode deployment(String kustomization, String name) {
        return find(Kustomize.render(K8S.resolve(kustomization)), "Deployment", name);
    }

    static ObjectNode find(List<ObjectNode> resources, String kind, String name) {
        return resources.stream()
                .filter(r -> r.path("kind").asString().equals(kind) && r.at("/metadata/name").asString().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static List<Path> manifestFiles() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals(Kustomize.FILE))
                    .sorted().toList();
        }
    }

    private static Set<Path> patchFiles() {
        Set<Path> patches = new HashSet<>();
        for (String kustomization : KUSTOMIZATIONS) {
            Path directory = K8S.resolve(kustomization);
            Repository.yaml(directory.resolve(Kustomize.FILE)).path("patches")
                    .forEach(entry -> patches.add(directory.resolve(entry.path("path").asString())));
        }
        return patches;
    }
}
