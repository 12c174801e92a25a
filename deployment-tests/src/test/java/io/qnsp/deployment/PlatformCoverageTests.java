package io.qnsp.deployment;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service the launcher starts (platform.properties) runs in docker-compose.yml and in k8s/ too: with the same
 * port and environment variable names (the values name other hosts), every secret it is given, a readiness health
 * check, and the services it calls reachable. A service added to the launcher alone fails here.
 */
class PlatformCoverageTests {

    private static final Pattern LOCAL_URL = Pattern.compile("http://localhost:(\\d+)");
    private static final Pattern SECRET_REFERENCE = Pattern.compile("^\\$\\{([A-Z0-9_]+):\\?[^}]*}$");

    private final PlatformServices platform = PlatformServices.load();
    private final JsonNode compose = Repository.yaml(ComposeFileTests.COMPOSE);
    private final List<ObjectNode> base = Kustomize.render(Repository.file("k8s/base"));

    @Test
    void composeRunsEveryServiceWithItsEnvironmentAndSecrets() {
        List<String> problems = new ArrayList<>();
        for (PlatformServices.Service service : platform.services()) {
            JsonNode entry = compose.path("services").path(service.name());
            if (entry.isMissingNode()) {
                problems.add(service.name() + " is not in docker-compose.yml");
                continue;
            }
            JsonNode environment = entry.path("environment");
            Set<String> names = new LinkedHashSet<>(environment.propertyNames());
            for (String variable : service.requiredVariables()) {
                if (!names.contains(variable)) {
                    problems.add(service.name() + " lacks " + variable + " in docker-compose.yml");
                }
            }
            assertThat(environment.path("PORT").asString()).as(service.name()).isEqualTo(String.valueOf(service.port()));
            service.environment().forEach((name, value) -> {
                String expected = LOCAL_URL.matcher(value).replaceAll(m -> "http://"
                        + platform.byPort(Integer.parseInt(m.group(1))).name() + ":" + m.group(1));
                if (LOCAL_URL.matcher(value).find() && !expected.equals(environment.path(name).asString())) {
                    problems.add(service.name() + " " + name + " is " + environment.path(name).asString()
                            + " in docker-compose.yml, not " + expected);
                }
            });
            for (String secret : service.secretVariables()) {
                Matcher reference = SECRET_REFERENCE.matcher(environment.path(secret).asString());
                if (!reference.matches() || !reference.group(1).equals(secret)) {
                    problems.add(service.name() + " " + secret + " is not taken from .env as ${" + secret + ":?…}");
                }
            }
            service.databasePasswordVariable().ifPresent(variable -> {
                Matcher reference = SECRET_REFERENCE.matcher(environment.path("QNSP_DB_PASSWORD").asString());
                if (!reference.matches() || !reference.group(1).equals(variable)) {
                    problems.add(service.name() + " QNSP_DB_PASSWORD is not ${" + variable + ":?…}");
                }
                if (!environment.path("QNSP_DB_USER").asString().equals(service.schema().orElseThrow())) {
                    problems.add(service.name() + " QNSP_DB_USER is not its schema's role");
                }
            });
            assertThat(entry.at("/healthcheck/test").toString()).as(service.name()).contains("qnsp-ready");
            assertThat(entry.at("/build/args/MODULE").asString()).as(service.name()).isEqualTo(service.name());
            // a callee that calls the service back (the gateway, which routes to security-monitoring-service
            // while that service reads the gateway's documents) cannot also be waited for: compose refuses cycles
            List<String> dependencies = new ArrayList<>(platform.callees(service).stream()
                    .filter(callee -> !platform.callees(platform.byName(callee)).contains(service.name())).toList());
            dependencies.add("redis");
            service.schema().ifPresent(schema -> dependencies.add("postgres"));
            for (String dependency : dependencies) {
                if (!entry.at("/depends_on/" + dependency + "/condition").asString().equals("service_healthy")) {
                    problems.add(service.name() + " does not wait for " + dependency + " to be healthy");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void onlyTheGatewayPublishesAPortAndEveryDatabaseRoleIsCreated() {
        List<String> publishing = new ArrayList<>();
        compose.path("services").properties().forEach(entry -> {
            if (entry.getValue().has("ports") && !entry.getValue().has("profiles")) {
                publishing.add(entry.getKey());
            }
        });
        assertThat(publishing).containsExactly("gateway-service");

        JsonNode postgres = compose.at("/services/postgres/environment");
        List<String> schemas = platform.services().stream().flatMap(s -> s.schema().stream()).toList();
        assertThat(postgres.path("QNSP_DB_SCHEMAS").asString().split(" ")).containsExactlyInAnyOrderElementsOf(schemas);
        for (PlatformServices.Service service : platform.services()) {
            service.databasePasswordVariable().ifPresent(variable ->
                    assertThat(postgres.path(variable).asString()).startsWith("${" + variable + ":?"));
        }
    }

    @Test
    void kubernetesRunsEveryServiceWithProbesEnvironmentAndSecretReferences() {
        List<String> problems = new ArrayList<>();
        for (PlatformServices.Service service : platform.services()) {
            ObjectNode deployment = base.stream().filter(r -> r.path("kind").asString().equals("Deployment")
                    && r.at("/metadata/name").asString().equals(service.name())).findFirst().orElse(null);
            ObjectNode k8sService = base.stream().filter(r -> r.path("kind").asString().equals("Service")
                    && r.at("/metadata/name").asString().equals(service.name())).findFirst().orElse(null);
            if (deployment == null || k8sService == null) {
                problems.add(service.name() + " has no Deployment and Service in k8s/base");
                continue;
            }
            assertThat(k8sService.at("/spec/ports/0/port").asInt()).as(service.name()).isEqualTo(service.port());
            JsonNode container = deployment.at("/spec/template/spec/containers/0");
            assertThat(container.at("/ports/0/containerPort").asInt()).as(service.name()).isEqualTo(service.port());
            assertThat(container.at("/readinessProbe/httpGet/path").asString()).as(service.name())
                    .isEqualTo("/actuator/health/readiness");
            assertThat(container.at("/livenessProbe/httpGet/path").asString()).as(service.name())
                    .isEqualTo("/actuator/health/liveness");
            List<String> names = new ArrayList<>();
            container.path("env").forEach(variable -> names.add(variable.path("name").asString()));
            for (String variable : service.requiredVariables()) {
                if (!names.contains(variable)) {
                    problems.add(service.name() + " lacks " + variable + " in k8s/base");
                }
            }
            for (JsonNode variable : container.path("env")) {
                String name = variable.path("name").asString();
                String value = variable.path("value").asString("");
                if (value.contains("localhost")) {
                    problems.add(service.name() + " " + name + " points at localhost in k8s/base");
                }
                boolean secret = service.secretVariables().contains(name) || name.equals("QNSP_DB_PASSWORD");
                JsonNode reference = variable.at("/valueFrom/secretKeyRef");
                if (secret) {
                    String key = name.equals("QNSP_DB_PASSWORD") ? service.databasePasswordVariable().orElseThrow() : name;
                    if (variable.has("value") || !reference.path("name").asString().equals("qnsp-secrets")
                            || !reference.path("key").asString().equals(key)) {
                        problems.add(service.name() + " " + name + " is not Secret qnsp-secrets' key " + key);
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void noSecretValueIsCommittedToKubernetesManifests() throws IOException {
        List<String> secretNames = platform.allSecretVariables();
        try (var files = Files.walk(Repository.file("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (JsonNode document : Repository.yamlDocuments(file)) {
                    assertThat(document.path("kind").asString()).as(file.toString()).isNotEqualTo("Secret");
                    if (document.path("kind").asString().equals("ConfigMap")) {
                        assertThat(document.path("data").propertyNames()).as(file.toString())
                                .doesNotContainAnyElementsOf(secretNames);
                    }
                }
            }
        }
    }

    @Test
    void theServicesEachCallsAreReachableThroughTheNetworkPolicies() {
        List<String> problems = new ArrayList<>();
        for (PlatformServices.Service service : platform.services()) {
            ObjectNode own = KubernetesManifestsTests.find(base, "NetworkPolicy", service.name());
            for (String callee : platform.callees(service)) {
                if (!allows(own.at("/spec/egress"), callee, platform.services().stream()
                        .filter(s -> s.name().equals(callee)).findFirst().orElseThrow().port())) {
                    problems.add(service.name() + " may not reach " + callee);
                }
                ObjectNode theirs = KubernetesManifestsTests.find(base, "NetworkPolicy", callee);
                boolean admitted = false;
                for (JsonNode rule : theirs.at("/spec/ingress")) {
                    for (JsonNode peer : rule.path("from")) {
                        admitted |= peer.at("/podSelector/matchLabels/app.kubernetes.io~1name").asString()
                                .equals(service.name());
                    }
                }
                if (!admitted) {
                    problems.add(callee + " does not admit " + service.name());
                }
            }
        }
        ObjectNode gateway = KubernetesManifestsTests.find(base, "NetworkPolicy", "gateway-service");
        assertThat(gateway.at("/spec/ingress/0/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name")
                .asString()).isEqualTo("ingress-nginx");
        assertThat(KubernetesManifestsTests.find(base, "NetworkPolicy", "default-deny").at("/spec/policyTypes")
                .toString()).contains("Ingress").contains("Egress");
        assertThat(problems).isEmpty();
    }

    @Test
    void theTryItDatastoresAdmitEveryServiceThatUsesThem() {
        List<ObjectNode> tryIt = Kustomize.render(Repository.file("k8s/overlays/try-it"));
        Set<String> postgres = admitted(KubernetesManifestsTests.find(tryIt, "NetworkPolicy", "postgres"));
        Set<String> redis = admitted(KubernetesManifestsTests.find(tryIt, "NetworkPolicy", "redis"));
        List<String> problems = new ArrayList<>();
        for (PlatformServices.Service service : platform.services()) {
            if (service.schema().isPresent() && !postgres.contains(service.name())) {
                problems.add("PostgreSQL does not admit " + service.name());
            }
            if (!redis.contains(service.name())) {
                problems.add("Redis does not admit " + service.name());
            }
        }
        assertThat(problems).isEmpty();
    }

    /** The names an ingress policy admits by {@code app.kubernetes.io/name}, by label or by an {@code In} list. */
    private static Set<String> admitted(ObjectNode policy) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode rule : policy.at("/spec/ingress")) {
            for (JsonNode peer : rule.path("from")) {
                String label = peer.at("/podSelector/matchLabels/app.kubernetes.io~1name").asString("");
                if (!label.isEmpty()) {
                    names.add(label);
                }
                for (JsonNode expression : peer.at("/podSelector/matchExpressions")) {
                    if (expression.path("key").asString().equals("app.kubernetes.io/name")
                            && expression.path("operator").asString().equals("In")) {
                        expression.path("values").forEach(value -> names.add(value.asString()));
                    }
                }
            }
        }
        return names;
    }

    @Test
    void prometheusScrapesEveryService() {
        JsonNode prometheus = Repository.yaml(Repository.file("docker/prometheus/prometheus.yml"));
        List<String> targets = new ArrayList<>();
        for (JsonNode job : prometheus.path("scrape_configs")) {
            assertThat(job.path("metrics_path").asString()).isEqualTo("/actuator/prometheus");
            job.at("/static_configs/0/targets").forEach(target -> targets.add(target.asString()));
        }
        assertThat(targets).containsExactlyInAnyOrderElementsOf(
                platform.services().stream().map(s -> s.name() + ":" + s.port()).toList());
    }

    private static boolean allows(JsonNode egress, String callee, int port) {
        for (JsonNode rule : egress) {
            boolean peer = false;
            for (JsonNode to : rule.path("to")) {
                peer |= to.at("/podSelector/matchLabels/app.kubernetes.io~1name").asString().equals(callee);
            }
            boolean portAllowed = false;
            for (JsonNode allowed : rule.path("ports")) {
                portAllowed |= allowed.path("port").asInt() == port;
            }
            if (peer && portAllowed) {
                return true;
            }
        }
        return false;
    }
}
