package io.qnsp.platform;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drill: secrets at rest. Runs after every other drill on their platform. It makes a secret of each kind through
 * the gateway (a tenant's client secret and tokens, DataHub and rate-limit API keys, a vault secret's value, a
 * webhook's signing secret, a plaintext sent to KMS to encrypt) and uses each once, so that each passes every layer
 * that could write it down. Then every row of every table of every schema, every log file and Redis's append-only
 * file are searched for each of those secrets, for every secret any drill was shown (GatewayCalls remembers them),
 * and for the credentials the launcher printed, as text, as hex (how PostgreSQL prints bytes) and as base64.
 * Zero hits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(SharedPlatforms.SECRETS_AT_REST)
class SecretsAtRestDrillIntegrationTests {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RunningPlatform platform;
    private GatewayCalls calls;
    private String operator;

    @BeforeAll
    void joinTheSharedPlatforms(ExtensionContext context) throws Exception {
        platform = SharedPlatforms.drills(context);
        calls = new GatewayCalls(platform);
        operator = "Bearer " + calls.operatorToken();
    }

    @Test
    void noSecretTheDrillsMadeIsStoredOrLoggedAsItWasShown() throws Exception {
        makeAndUseOneSecretOfEachKind();
        Map<String, String> secrets = new LinkedHashMap<>();
        GatewayCalls.secretsSeen().forEach(secret -> secrets.put(secret, "shown in an answer"));
        secrets.put(platform.printedValue("client secret:\\s+(\\S+)"), "the operator's client secret");
        secrets.put(platform.printedValue("admin API key:\\s+(\\S+)"), "the operator's API key");
        secrets.put(platform.printedValue("Admin token \\(X-Admin-Token[^:]*:\\s+(\\S+)"), "the rate-limit admin token");
        Map<String, List<String>> needles = new LinkedHashMap<>();
        secrets.keySet().forEach(secret -> needles.put(secret, forms(secret)));

        List<String> hits = new ArrayList<>();
        long rows = scanDatabase(needles, hits);
        long bytes = 0;
        List<Path> files = new ArrayList<>();
        try (Stream<Path> logs = Files.walk(platform.home.resolve("logs"));
             Stream<Path> redis = Files.walk(platform.home.resolve("redis"))) {
            Stream.concat(logs, redis).filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path file : files) {
            // ISO-8859-1 maps every byte to one char, so binary files (the append-only file) are searched byte for byte
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            bytes += content.length();
            needles.forEach((secret, forms) -> forms.stream().filter(content::contains).findFirst().ifPresent(form ->
                    hits.add(secrets.get(secret) + " (" + abbreviate(secret) + ") in " + platform.home.relativize(file)
                            + (form.equals(secret) ? "" : " as " + abbreviate(form)))));
        }

        assertThat(hits).as("secrets found at rest").isEmpty();
        // at least the ten this drill makes or reads: client secret and token, two API keys, vault value, webhook
        // secret, plaintext, and the launcher's client secret, API key and admin token
        assertThat(secrets).as("secrets to look for").hasSizeGreaterThanOrEqualTo(10);
        assertThat(rows).as("rows read").isPositive();
        System.out.printf("drill secrets at rest: %d secrets searched for in %d rows of the database and %d files"
                + " (%d bytes): none found%n", secrets.size(), rows, files.size(), bytes);
    }

    /** One secret of each kind the platform hands out or keeps, each used once through the gateway. */
    private void makeAndUseOneSecretOfEachKind() throws Exception {
        GatewayCalls.TenantClient tenant = calls.tenantClient(operator, "secrets", "kms:read", "kms:write",
                "kms:use", "vault:read", "vault:write", "vault:use", "read:keys", "write:keys", "read:webhooks",
                "write:webhooks", "audit:read");
        assertThat(calls.send(calls.get("/api/v1/keys"), tenant.bearer()).statusCode()).isEqualTo(200);

        HttpResponse<String> dataHubKey = calls.send(calls.post("/api/v1/keys", "{\"name\":\"secrets drill\","
                + "\"scopes\":[\"read:keys\"]}"), tenant.bearer());
        assertThat(dataHubKey.statusCode()).as(dataHubKey.body()).isEqualTo(201);
        String apiKey = GatewayCalls.JSON.readTree(dataHubKey.body()).get("data").get("apiKey").asString();
        assertThat(calls.send(calls.get("/api/v1/keys").header("X-API-Key", apiKey)).statusCode()).isEqualTo(200);

        String adminToken = platform.printedValue("Admin token \\(X-Admin-Token[^:]*:\\s+(\\S+)");
        HttpResponse<String> rateLimitKey = calls.send(calls.post("/v1/api-keys", "{\"name\":\"secrets drill\"}")
                .header("X-Admin-Token", adminToken));
        assertThat(rateLimitKey.statusCode()).as(rateLimitKey.body()).isEqualTo(200);
        assertThat(calls.send(calls.post("/v1/check", "{\"apiKey\":\""
                + GatewayCalls.JSON.readTree(rateLimitKey.body()).get("apiKey").asString() + "\"}")).statusCode())
                .isEqualTo(200);

        String value = "vault value " + token();
        GatewayCalls.rememberSecret(value);
        String secretId = "secrets-drill-" + UUID.randomUUID();
        HttpResponse<String> stored = calls.send(calls.post("/vault/v1/versioned-secrets", "{\"secretId\":\""
                + secretId + "\",\"value\":\"" + value + "\"}"), tenant.bearer());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        HttpResponse<String> read = calls.send(calls.get("/vault/v1/versioned-secrets/" + secretId + "/versions/1"),
                tenant.bearer());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(read.body()).contains(value);

        String webhookSecret = "whsec_" + Base64.getEncoder().encodeToString(bytes(32));
        GatewayCalls.rememberSecret(webhookSecret);
        HttpResponse<String> webhook = calls.send(calls.post("/api/v1/webhooks", "{\"name\":\"secrets drill\","
                + "\"url\":\"https://" + RunningPlatform.PUBLIC_WEBHOOK_HOST + "/qnsp\",\"events\":[\"key.created\"],"
                + "\"secret\":\"" + webhookSecret + "\",\"active\":false}"), tenant.bearer());
        assertThat(webhook.statusCode()).as(webhook.body()).isEqualTo(201);

        HttpResponse<String> key = calls.send(calls.post("/kms/v1/keys", "{\"name\":\"secrets drill\","
                + "\"algorithm\":\"AES-256-GCM\"}"), tenant.bearer());
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        String keyId = GatewayCalls.JSON.readTree(key.body()).get("keyId").asString();
        String plaintext = "plaintext " + token();
        GatewayCalls.rememberSecret(plaintext);
        String encoded = Base64.getEncoder().encodeToString(plaintext.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> encrypted = calls.send(calls.post("/kms/v1/keys/" + keyId + "/encrypt",
                "{\"plaintext\":\"" + encoded + "\"}"), tenant.bearer());
        assertThat(encrypted.statusCode()).as(encrypted.body()).isEqualTo(200);
        JsonNode ciphertext = GatewayCalls.JSON.readTree(encrypted.body());
        HttpResponse<String> decrypted = calls.send(calls.post("/kms/v1/decrypt", "{\"ciphertext\":"
                + ciphertext.get("ciphertext") + "}"), tenant.bearer());
        assertThat(decrypted.statusCode()).as(decrypted.body()).isEqualTo(200);
        assertThat(decrypted.body()).contains(encoded);

        // what the services were handed is written down by now: their request logs and audit events arrive
        await("the drill's own calls in the audit log").atMost(java.time.Duration.ofMinutes(1))
                .until(() -> calls.send(calls.get("/audit/v1/events?resourceId=" + keyId), tenant.bearer()).body(),
                        body -> body.contains("kms.key.created"));
    }

    /** Every row of every table outside PostgreSQL's own schemas, as text; answers the number of rows read. */
    private long scanDatabase(Map<String, List<String>> needles, List<String> hits) throws Exception {
        long rows = 0;
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + platform.postgresPort
                + "/qnsp", "postgres", "")) {
            List<String> tables = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet listed = statement.executeQuery("SELECT quote_ident(table_schema) || '.' ||"
                         + " quote_ident(table_name) FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
                         + " AND table_schema NOT IN ('pg_catalog', 'information_schema')")) {
                while (listed.next()) {
                    tables.add(listed.getString(1));
                }
            }
            assertThat(tables).as("tables of the platform's schemas").hasSizeGreaterThan(50);
            connection.setAutoCommit(false);
            for (String table : tables) {
                try (Statement statement = connection.createStatement()) {
                    statement.setFetchSize(500);
                    try (ResultSet each = statement.executeQuery("SELECT t::text FROM " + table + " t")) {
                        while (each.next()) {
                            rows++;
                            String row = each.getString(1);
                            needles.forEach((secret, forms) -> forms.stream().filter(row::contains).findFirst()
                                    .ifPresent(form -> hits.add(abbreviate(secret) + " in table " + table
                                            + (form.equals(secret) ? "" : " as " + abbreviate(form)))));
                        }
                    }
                }
            }
        }
        return rows;
    }

    /** The secret as text, as PostgreSQL prints its bytes (hex), and as base64 (padded and not). */
    private static List<String> forms(String secret) {
        byte[] utf8 = secret.getBytes(StandardCharsets.UTF_8);
        String base64 = Base64.getEncoder().encodeToString(utf8);
        return List.copyOf(new LinkedHashSet<>(List.of(secret, HexFormat.of().formatHex(utf8), base64,
                base64.replace("=", ""), Base64.getUrlEncoder().withoutPadding().encodeToString(utf8))));
    }

    private static String abbreviate(String secret) {
        return secret.length() <= 12 ? secret : secret.substring(0, 8) + "…(" + secret.length() + " chars)";
    }

    private static String token() {
        return HexFormat.of().formatHex(bytes(16));
    }

    private static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
