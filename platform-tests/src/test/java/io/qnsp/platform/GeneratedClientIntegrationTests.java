package io.qnsp.platform;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client developer does with the platform's API documents, with tools nobody here wrote: takes every
 * document the gateway's Swagger UI lists, generates TypeScript types with openapi-typescript, writes a client with
 * openapi-fetch that identifies its caller by the token alone, compiles it with {@code tsc --strict} and runs it
 * against the platform. Needs Node.js and npm (CI installs them; elsewhere the test is skipped without them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(SharedPlatforms.GENERATED_CLIENT)
class GeneratedClientIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SOURCES = Path.of("src", "test", "typescript");
    private static final Path WORK = Path.of("target", "generated-client");
    /** The services the platform runs, whose clients client.ts uses. */
    private static final List<String> RUNNING = List.of("gateway", "auth", "ratelimit", "audit", "access", "kms",
            "vault", "kpi", "billing");
    private static final List<String> PROJECT_FILES = List.of("package.json", "package-lock.json", "tsconfig.json",
            "client.ts");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RunningPlatform platform;
    private CompletableFuture<Void> installing;

    @BeforeAll
    void joinThePlatform(ExtensionContext context) throws Exception {
        boolean node = available("node", "--version") && available("npm", "--version");
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(node, "Node.js and npm are needed to generate and compile the client");
        } else {
            assertThat(node).as("Node.js and npm on the CI machine (.ci/run installs them)").isTrue();
        }
        // the client's tools install while the platform starts: neither needs the other
        prepareProject();
        installing = CompletableFuture.runAsync(() -> {
            try {
                run(Duration.ofMinutes(10), "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
            } catch (Exception e) {
                throw new IllegalStateException("npm ci could not be run", e);
            }
        });
        platform = SharedPlatforms.drills(context);
    }

    @Test
    void clientsGeneratedFromEveryListedDocumentCompileStrictlyAndCallThePlatformWithATokenAlone() throws Exception {
        try {
            installing.join();
        } catch (CompletionException e) {
            // the assertion (or failure) of npm ci itself, with its output
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }

        Map<String, String> documents = listedDocuments();
        assertThat(documents.keySet()).as("the documents the gateway's Swagger UI lists").containsAll(RUNNING);
        Files.createDirectories(WORK.resolve("gen"));
        for (Map.Entry<String, String> document : documents.entrySet()) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(platform.gateway()
                    + document.getValue())).GET());
            if (response.statusCode() == 503 && !RUNNING.contains(document.getKey())) {
                // a routed service this platform does not run (yet): the gateway says so instead of a document
                continue;
            }
            assertThat(response.statusCode()).as("%s's document %s", document.getKey(), document.getValue())
                    .isEqualTo(200);
            Path file = WORK.resolve("gen").resolve(document.getKey() + ".json");
            Files.writeString(file, response.body());
            run(Duration.ofMinutes(2), "npx", "--no-install", "openapi-typescript", "gen/" + file.getFileName(),
                    "-o", "gen/" + document.getKey() + ".ts");
        }
        run(Duration.ofMinutes(5), "npx", "--no-install", "tsc", "-p", "tsconfig.json");

        String output = run(Duration.ofMinutes(2), environment(), "node", "dist/client.js");
        JsonNode result = JSON.readTree(output.lines().reduce((first, last) -> last).orElseThrow());
        assertThat(result.at("/authKeys/status").asInt()).isEqualTo(200);
        assertThat(result.at("/authKeys/names").size()).as("the tenant's DataHub keys").isPositive();
        assertThat(result.at("/rateLimitKey/status").asInt()).isEqualTo(200);
        assertThat(result.at("/rateLimitKey/keyId").asString()).isNotBlank();
        assertThat(result.at("/rateLimitKeys/status").asInt()).isEqualTo(200);
        List<String> rateLimitKeys = new ArrayList<>();
        result.at("/rateLimitKeys/names").forEach(name -> rateLimitKeys.add(name.asString()));
        assertThat(rateLimitKeys).contains(result.at("/rateLimitKeys/created").asString());
        assertThat(result.at("/auditEvents/status").asInt()).isEqualTo(200);
        assertThat(result.at("/rateLimitStatus/status").asInt()).isEqualTo(200);
        assertThat(result.at("/rateLimitStatus/windows").size()).isPositive();
        assertThat(result.at("/kms/created").asInt()).isEqualTo(201);
        assertThat(result.at("/kms/encrypted").asInt()).isEqualTo(200);
        assertThat(result.at("/kms/decrypted").asInt()).isEqualTo(200);
        assertThat(result.at("/kms/plaintext").asString()).isEqualTo("from a generated client");
        assertThat(result.at("/vault/written").asInt()).isEqualTo(201);
        assertThat(result.at("/vault/version").asInt()).isEqualTo(1);
        assertThat(result.at("/vault/read").asInt()).isEqualTo(200);
        assertThat(result.at("/vault/value").asString()).isEqualTo("from a generated client");
    }

    /** The Swagger UI's list of documents, by name. */
    private Map<String, String> listedDocuments() throws Exception {
        HttpResponse<String> config = send(HttpRequest.newBuilder(URI.create(platform.gateway()
                + "/v3/api-docs/swagger-config")).GET());
        assertThat(config.statusCode()).isEqualTo(200);
        Map<String, String> documents = new LinkedHashMap<>();
        JSON.readTree(config.body()).path("urls").forEach(url ->
                documents.put(url.path("name").asString(), url.path("url").asString()));
        return documents;
    }

    private Map<String, String> environment() throws Exception {
        HttpResponse<String> token = send(HttpRequest.newBuilder(URI.create(platform.gateway() + "/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((platform.printedValue(
                        "client id:\\s+(\\S+)") + ":" + platform.printedValue("client secret:\\s+(\\S+)"))
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
        assertThat(token.statusCode()).isEqualTo(200);
        return Map.of("QNSP_GATEWAY", platform.gateway(),
                "QNSP_TOKEN", JSON.readTree(token.body()).get("access_token").asString(),
                "QNSP_ADMIN_TOKEN", platform.printedValue("Admin token \\(X-Admin-Token[^:]*:\\s+(\\S+)"),
                "QNSP_API_KEY", platform.printedValue("admin API key:\\s+(dh_live_\\S+)"));
    }

    private static void prepareProject() throws IOException {
        if (Files.exists(WORK)) {
            try (Stream<Path> files = Files.walk(WORK)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(WORK);
        for (String file : PROJECT_FILES) {
            Files.copy(SOURCES.resolve(file), WORK.resolve(file));
        }
    }

    private static String run(Duration timeout, String... command) throws Exception {
        return run(timeout, Map.of(), command);
    }

    /** Runs a command in the client project; fails with its output unless it exits 0 in time. */
    private static String run(Duration timeout, Map<String, String> environment, String... command)
            throws Exception {
        Path log = Files.createTempFile(WORK.toAbsolutePath(), "command", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean exited = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(exited && process.exitValue() == 0).as("%s exits 0 within %s; it printed:%n%s",
                String.join(" ", command), timeout, output).isTrue();
        return output;
    }

    private static boolean available(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
