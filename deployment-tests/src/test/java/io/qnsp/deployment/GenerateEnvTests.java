package io.qnsp.deployment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docker/generate-env writes every secret the launcher generates, of the same kinds, and never replaces one. */
class GenerateEnvTests {

    private final PlatformServices platform = PlatformServices.load();

    @Test
    void writesEverySecretOfPlatformPropertiesInItsKind(@TempDir Path directory) throws Exception {
        Path file = directory.resolve(".env");
        Map<String, String> values = GeneratedEnv.generate(file);

        List<String> expected = new ArrayList<>(platform.allSecretVariables());
        expected.add("POSTGRES_PASSWORD");
        expected.add("GRAFANA_ADMIN_PASSWORD");
        assertThat(values.keySet()).containsExactlyInAnyOrderElementsOf(expected);

        platform.sharedSecrets().forEach((name, kind) -> assertKind(name, kind, values.get(name)));
        for (PlatformServices.Service service : platform.services()) {
            service.secrets().forEach((name, kind) -> assertKind(name, kind, values.get(name)));
            service.databasePasswordVariable().ifPresent(name -> assertKind(name, "token", values.get(name)));
        }
        assertThat(values.values()).doesNotHaveDuplicates();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void keepsTheValuesAlreadyThereAndAddsOnlyWhatIsMissing(@TempDir Path directory) throws Exception {
        Path file = directory.resolve(".env");
        Map<String, String> first = GeneratedEnv.generate(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.removeIf(line -> line.startsWith("QNSP_VAULT_HASH_KEY="));
        Files.write(file, lines);

        Map<String, String> second = GeneratedEnv.generate(file);

        assertThat(second.keySet()).containsExactlyInAnyOrderElementsOf(first.keySet());
        first.forEach((name, value) -> {
            if (name.equals("QNSP_VAULT_HASH_KEY")) {
                assertThat(second.get(name)).isNotEqualTo(value);
                assertKind(name, "key256", second.get(name));
            } else {
                assertThat(second.get(name)).as(name).isEqualTo(value);
            }
        });
    }

    @Test
    void everySecretComposeAndKubernetesReferToIsOneItWrites(@TempDir Path directory) throws Exception {
        Set<String> generated = GeneratedEnv.generate(directory.resolve(".env")).keySet();

        Set<String> composeReferences = new TreeSet<>();
        Matcher reference = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?")
                .matcher(Repository.read(ComposeFileTests.COMPOSE));
        while (reference.find()) {
            composeReferences.add(reference.group(1));
        }
        assertThat(composeReferences).isNotEmpty();
        assertThat(generated).containsAll(composeReferences);

        for (String overlay : List.of("overlays/production", "overlays/try-it")) {
            Set<String> keys = new TreeSet<>();
            for (JsonNode resource : Kustomize.render(Repository.file("k8s/" + overlay))) {
                for (JsonNode ref : resource.findValues("secretKeyRef")) {
                    assertThat(ref.path("name").asString()).as(overlay).isEqualTo("qnsp-secrets");
                    keys.add(ref.path("key").asString());
                }
            }
            assertThat(keys).as(overlay).isNotEmpty();
            assertThat(generated).as(overlay + ": Secret qnsp-secrets is created from this file").containsAll(keys);
        }
    }

    @Test
    void theTryItDatabaseCreatesTheRolesComposeCreates() {
        JsonNode postgres = KubernetesManifestsTests.find(Kustomize.render(Repository.file("k8s/overlays/try-it")),
                "StatefulSet", "postgres").at("/spec/template/spec/containers/0/env");
        JsonNode compose = Repository.yaml(ComposeFileTests.COMPOSE).at("/services/postgres/environment");
        Set<String> variables = new TreeSet<>();
        postgres.forEach(variable -> variables.add(variable.path("name").asString()));
        assertThat(variables).containsAll(compose.propertyNames());
        for (JsonNode variable : postgres) {
            if (variable.path("name").asString().equals("QNSP_DB_SCHEMAS")) {
                assertThat(variable.path("value").asString()).isEqualTo(compose.path("QNSP_DB_SCHEMAS").asString());
            }
        }
    }

    @Test
    void theDatabaseScriptCreatesARoleForEverySchemaComposeNames() {
        String script = Repository.read(Repository.file("docker/postgres/init-schemas.sh"));
        assertThat(script).contains("QNSP_DB_SCHEMAS").contains("QNSP_DB_PASSWORD_").contains("AUTHORIZATION");
        assertThat(Repository.read(Repository.file("k8s/overlays/try-it/postgres-init-schemas.sh")))
                .as("the try-it overlay's copy of docker/postgres/init-schemas.sh").isEqualTo(script);
    }

    private static void assertKind(String name, String kind, String value) {
        assertThat(value).as(name).isNotNull();
        switch (kind) {
            case "token" -> {
                assertThat(value).as(name).matches("[A-Za-z0-9_-]{43}");
                assertThat(Base64.getUrlDecoder().decode(value)).as(name).hasSize(32);
            }
            case "key256" -> assertThat(Base64.getDecoder().decode(value)).as(name).hasSize(32);
            default -> throw new AssertionError("unknown kind " + kind + " of " + name);
        }
    }
}
