package io.qnsp.deployment;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml against the Compose Specification's JSON schema, and as docker-compose itself reads it with an
 * .env from docker/generate-env. Under CI=true a missing docker-compose is a failure, not a skipped test.
 */
class ComposeFileTests {

    static final Path COMPOSE = Repository.file("docker-compose.yml");

    @Test
    void validatesAgainstTheComposeSpecification() throws Exception {
        JsonNode compose = Repository.yaml(COMPOSE);
        assertThat(compose.has("version")).as("the Compose Specification has no version key").isFalse();
        assertThat(errors(compose)).isEmpty();
    }

    @Test
    void theSchemaRefusesAnUnknownServiceField() throws Exception {
        ObjectNode compose = (ObjectNode) Repository.yaml(COMPOSE);
        ((ObjectNode) compose.at("/services/auth-service")).put("helthcheck", "typo");
        assertThat(errors(compose)).anySatisfy(error -> assertThat(error).contains("helthcheck"));
    }

    @Test
    void dockerComposeAcceptsItWithAGeneratedEnvFile(@TempDir Path directory) throws Exception {
        String dockerCompose = Executables.find("docker-compose").orElse(null);
        if (dockerCompose == null) {
            assertThat("true".equals(System.getenv("CI")))
                    .as("docker-compose is not installed, and CI=true requires it (.ci/run installs it)").isFalse();
            Assumptions.abort("docker-compose is not installed");
        }
        Path env = directory.resolve(".env");
        GeneratedEnv.generate(env);

        Result valid = run(dockerCompose, "--env-file", env.toString(), "-f", COMPOSE.toString(), "config", "-q");
        assertThat(valid.exitCode()).as(valid.output()).isZero();

        // without the generated secrets the stack refuses to start, naming what is missing
        Path empty = Files.createFile(directory.resolve("empty.env"));
        Result missing = run(dockerCompose, "--env-file", empty.toString(), "-f", COMPOSE.toString(), "config", "-q");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.output()).contains("run docker/generate-env first");
    }

    private static List<String> errors(JsonNode compose) throws Exception {
        try (InputStream in = ComposeFileTests.class.getResourceAsStream("/schemas/compose-spec/compose-spec.json")) {
            // its $id ("compose_spec.json") is no absolute IRI; the schema only refers to itself by fragment
            ObjectNode specification = (ObjectNode) Repository.JSON.readTree(in);
            specification.remove("$id");
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(specification);
            return schema.validate(compose).stream().map(Error::toString).toList();
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(Repository.root().toFile()).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
