package io.qnsp.audit.webhook;

import io.qnsp.audit.TestEvents;
import io.qnsp.audit.WebhookReceiver;
import io.qnsp.audit.delivery.WebhookSignature;
import io.qnsp.common.ids.Ulids;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static io.qnsp.audit.webhook.DataHubAssertions.error;
import static io.qnsp.audit.webhook.DataHubAssertions.names;
import static io.qnsp.audit.webhook.DataHubAssertions.paged;
import static io.qnsp.audit.webhook.DataHubAssertions.success;
import static io.qnsp.audit.webhook.DataHubAssertions.validation;
import static io.qnsp.audit.webhook.WebhooksClient.webhook;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DataHub webhook endpoints over real HTTP: the six endpoints' statuses and shapes, validation naming fields,
 * scopes, tenants, the secret's one appearance, and test deliveries to a real receiver.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class WebhookApiIntegrationTests {

    private static final String SPEC_SECRET = "whsec_mysecret123";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JsonMapper json;

    String tenant;
    WebhooksClient client;
    WebhookReceiver receiver;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        client = WebhooksClient.writer(port, tenant);
        receiver = WebhookReceiver.start(null);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    /** The reference's example body, aimed at the receiver. */
    private Map<String, Object> specExample() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Security Alerts");
        body.put("url", receiver.url());
        body.put("events", List.of("key.created", "key.revoked"));
        body.put("secret", SPEC_SECRET);
        body.put("headers", Map.of("X-Custom-Header", "value"));
        return body;
    }

    @Test
    void createAnswers201WithTheSecretOnceAndGetAndListShowTheWebhookWithoutIt() {
        JsonNode created = success(client.create(specExample()), 201);

        assertThat(names(created)).containsExactly("id", "name", "url", "events", "headers", "active", "status",
                "secret", "createdAt", "updatedAt");
        String id = created.get("id").asString();
        assertThat(id).matches(Ulids.format("whk_"));
        assertThat(created.get("name").asString()).isEqualTo("Security Alerts");
        assertThat(created.get("url").asString()).isEqualTo(receiver.url());
        assertThat(created.get("events").toString()).isEqualTo("[\"key.created\",\"key.revoked\"]");
        assertThat(created.get("headers").toString()).isEqualTo("{\"X-Custom-Header\":\"value\"}");
        assertThat(created.get("active").asBoolean()).isTrue();
        assertThat(created.get("status").asString()).isEqualTo("active");
        assertThat(created.get("secret").asString()).isEqualTo(SPEC_SECRET);
        assertThat(created.get("updatedAt").asString()).isEqualTo(created.get("createdAt").asString());

        JsonNode fetched = success(client.get(id), 200);
        assertThat(names(fetched)).containsExactly("id", "name", "url", "events", "headers", "active", "status",
                "createdAt", "updatedAt");
        assertThat(withoutSecret(created)).isEqualTo(fetched);

        JsonNode list = paged(client.list(""));
        assertThat(list.get("data").size()).isEqualTo(1);
        assertThat(list.get("data").get(0)).isEqualTo(fetched);
        assertThat(list.get("pagination").toString())
                .isEqualTo("{\"page\":1,\"pageSize\":20,\"totalItems\":1,\"totalPages\":1}");
    }

    @Test
    void aSecretIsGeneratedWhenNoneIsGiven() {
        String first = client.createWebhook(webhook("One", receiver.url(), "*")).get("secret").asString();
        String second = client.createWebhook(webhook("Two", receiver.url(), "*")).get("secret").asString();

        assertThat(first).startsWith("whsec_").isNotEqualTo(second);
        assertThat(WebhookSignature.isValidSecret(first)).isTrue();
    }

    @Test
    void writesAreAuditedAsDataHubWebhookActions() {
        String id = client.createWebhook(webhook("Audited", receiver.url(), "key.created")).get("id").asString();
        success(client.update(id, Map.of("name", "Audited too")), 200);
        success(client.delete(id), 200);

        for (String action : List.of("datahub.webhook.created", "datahub.webhook.updated",
                "datahub.webhook.deleted")) {
            TestEvents.await(() -> count("SELECT count(*) FROM audit_event WHERE tenant_id = ? AND action = ?"
                    + " AND resource_type = 'webhook' AND resource_id = ? AND outcome = 'success'",
                    tenant, action, id) == 1, action);
        }
    }

    @Test
    void theSecretIsNeverShownAgainNorStoredOrLoggedInPlainText(CapturedOutput output) {
        JsonNode created = client.createWebhook(specExample());
        String id = created.get("id").asString();
        String generated = success(client.update(id, Map.of("rotateSecret", true)), 200).get("secret").asString();
        assertThat(generated).isNotEqualTo(SPEC_SECRET);
        receiver.secret(generated);
        success(client.test(id, null), 200);
        success(client.update(id, Map.of("name", "Renamed", "headers", Map.of("X-Other", "1"))), 200);

        List<ResponseEntity<JsonNode>> answers = List.of(client.get(id), client.list(""), client.deliveries(id, ""),
                client.update(id, Map.of("active", false)));
        for (ResponseEntity<JsonNode> answer : answers) {
            assertThat(answer.getStatusCode().value()).isEqualTo(200);
            assertThat(answer.getBody().toString()).doesNotContain(SPEC_SECRET, generated, "\"secret\"");
        }
        TestEvents.await(() -> count("SELECT count(*) FROM audit_event WHERE tenant_id = ? AND action LIKE "
                + "'datahub.webhook.%'", tenant) == 5, "the audit events of the webhook's changes");

        for (String secret : List.of(SPEC_SECRET, generated)) {
            String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
            for (String table : List.of("datahub_webhook", "delivery", "delivery_attempt", "audit_event")) {
                List<String> rows = jdbc.queryForList("SELECT row_to_json(t)::text FROM " + table + " t",
                        String.class);
                assertThat(rows).as(table).isNotEmpty();
                assertThat(rows).as(table).noneMatch(row -> row.contains(secret) || row.contains(hex));
            }
            assertThat(output.getAll()).doesNotContain(secret);
        }
        byte[] sealed = jdbc.queryForObject("SELECT secret_sealed FROM datahub_webhook WHERE webhook_id = ?",
                byte[].class, id);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(generated);
    }

    @Test
    void updateChangesOnlyTheFieldsGivenAndValidatesThemLikeCreate() {
        JsonNode created = client.createWebhook(specExample());
        String id = created.get("id").asString();

        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("name", "  Everything  ");
        changes.put("events", List.of("*"));
        changes.put("headers", Map.of());
        changes.put("active", false);
        JsonNode updated = success(client.update(id, changes), 200);

        assertThat(updated.has("secret")).isFalse();
        assertThat(updated.get("name").asString()).isEqualTo("Everything");
        assertThat(updated.get("url").asString()).isEqualTo(receiver.url());
        assertThat(updated.get("events").toString()).isEqualTo("[\"*\"]");
        assertThat(updated.get("headers").size()).isZero();
        assertThat(updated.get("active").asBoolean()).isFalse();
        assertThat(updated.get("status").asString()).isEqualTo("inactive");
        assertThat(updated.get("createdAt")).isEqualTo(created.get("createdAt"));
        assertThat(Instant.parse(updated.get("updatedAt").asString()))
                .isAfterOrEqualTo(Instant.parse(created.get("updatedAt").asString()));
        assertThat(success(client.get(id), 200)).isEqualTo(updated);

        validation(client.update(id, Map.of("url", "ftp://example.com/hook")), "url");
        validation(client.update(id, Map.of("events", List.of())), "events");
        validation(client.update(id, Map.of("events", List.of("key.created", "key.exploded"))), "events[1]");
        validation(client.update(id, Map.of("name", "")), "name");
        validation(client.update(id, Map.of("headers", Map.of("Host", "evil.example"))), "headers.Host");
        validation(client.update(id, Map.of("secret", "not a secret!")), "secret");
        validation(client.update(id, Map.of("secret", SPEC_SECRET, "rotateSecret", true)), "rotateSecret");
        // a refused update changes nothing, not even the fields that were valid
        validation(client.update(id, Map.of("name", "Half", "url", "nope")), "url");
        assertThat(success(client.get(id), 200)).isEqualTo(updated);

        JsonNode given = success(client.update(id, Map.of("secret", "whsec_" + "A".repeat(44))), 200);
        assertThat(given.get("secret").asString()).isEqualTo("whsec_" + "A".repeat(44));
        assertThat(success(client.update(id, Map.of()), 200).has("secret")).isFalse();
    }

    @Test
    void aRotatedSecretSignsTheNextDelivery() {
        JsonNode created = client.createWebhook(specExample());
        String id = created.get("id").asString();
        String rotated = success(client.update(id, Map.of("rotateSecret", true)), 200).get("secret").asString();
        receiver.secret(SPEC_SECRET);
        success(client.test(id, null), 200);
        receiver.secret(rotated);
        success(client.test(id, null), 200);

        List<WebhookReceiver.Received> received = receiver.await(2, Duration.ofSeconds(10));
        assertThat(received.get(0).verified()).as("signed with the old secret").isFalse();
        assertThat(received.get(1).verified()).as("signed with the rotated secret").isTrue();
    }

    @Test
    void deleteAnswers200AndTakesTheDeliveryHistoryWithIt() {
        String id = client.createWebhook(specExample()).get("id").asString();
        success(client.test(id, null), 200);
        assertThat(count("SELECT count(*) FROM delivery WHERE owner_kind = 'datahub-webhook' AND owner_id = ?", id))
                .isEqualTo(1);

        JsonNode deleted = success(client.delete(id), 200);

        assertThat(names(deleted)).containsExactly("id", "status", "deletedAt");
        assertThat(deleted.get("id").asString()).isEqualTo(id);
        assertThat(deleted.get("status").asString()).isEqualTo("deleted");
        assertThat(Instant.parse(deleted.get("deletedAt").asString())).isNotNull();
        error(client.get(id), 404, "NOT_FOUND");
        error(client.delete(id), 404, "NOT_FOUND");
        error(client.deliveries(id, ""), 404, "NOT_FOUND");
        assertThat(paged(client.list("")).get("data").size()).isZero();
        assertThat(count("SELECT count(*) FROM delivery WHERE owner_id = ?", id)).isZero();
        assertThat(count("SELECT count(*) FROM delivery_attempt a JOIN delivery d USING (delivery_id)"
                + " WHERE d.owner_id = ?", id)).isZero();
    }

    @Test
    void aTestDeliveryIsSentSignedAtOnce() {
        JsonNode created = client.createWebhook(specExample());
        String id = created.get("id").asString();
        receiver.secret(created.get("secret").asString());

        JsonNode result = success(client.test(id, null), 200);

        assertThat(names(result)).containsExactly("deliveryId", "status", "statusCode", "durationMs", "error");
        assertThat(result.get("deliveryId").asString()).matches(Ulids.format("del_"));
        assertThat(result.get("status").asString()).isEqualTo("success");
        assertThat(result.get("statusCode").asInt()).isEqualTo(200);
        assertThat(result.get("durationMs").asLong()).isNotNegative();
        assertThat(result.get("error").isNull()).isTrue();
        List<WebhookReceiver.Received> received = receiver.received();
        assertThat(received).hasSize(1);
        WebhookReceiver.Received request = received.getFirst();
        assertThat(request.verified()).isTrue();
        assertThat(request.webhookId()).isEqualTo(result.get("deliveryId").asString());
        assertThat(request.header("X-Custom-Header")).isEqualTo("value");
        assertThat(request.header("User-Agent")).isEqualTo("QNSP-Webhooks/1.0");
        JsonNode body = json.readTree(request.body());
        assertThat(names(body)).containsExactly("type", "timestamp", "data");
        assertThat(body.get("type").asString()).isEqualTo("test.ping");
        assertThat(Instant.parse(body.get("timestamp").asString())).isNotNull();
        assertThat(body.get("data").toString()).isEqualTo("{\"test\":true}");

        JsonNode custom = success(client.test(id, Map.of("event", "key.created",
                "payload", Map.of("hello", "world"))), 200);
        assertThat(custom.get("status").asString()).isEqualTo("success");
        JsonNode customBody = json.readTree(receiver.await(2, Duration.ofSeconds(5)).get(1).body());
        assertThat(customBody.get("type").asString()).isEqualTo("key.created");
        assertThat(customBody.get("data").toString()).isEqualTo("{\"hello\":\"world\"}");

        // an inactive webhook can still be tested
        success(client.update(id, Map.of("active", false)), 200);
        assertThat(success(client.test(id, null), 200).get("status").asString()).isEqualTo("success");
    }

    @Test
    void aTargetAnsweringAnErrorOrNotAtAllIsAFailedDeliveryNotAnErrorOfOurs() {
        receiver.answer(500);
        JsonNode created = client.createWebhook(specExample());
        String id = created.get("id").asString();

        JsonNode failed = success(client.test(id, null), 200);
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("statusCode").asInt()).isEqualTo(500);
        assertThat(failed.get("error").asString()).contains("500");

        WebhookReceiver gone = WebhookReceiver.start(null);
        String goneUrl = gone.url();
        gone.close();
        String unreachable = client.createWebhook(webhook("Gone", goneUrl, "*")).get("id").asString();
        JsonNode unanswered = success(client.test(unreachable, null), 200);
        assertThat(unanswered.get("status").asString()).isEqualTo("failed");
        assertThat(unanswered.get("statusCode").isNull()).isTrue();
        assertThat(unanswered.get("error").asString()).isNotBlank();

        JsonNode history = paged(client.deliveries(id, ""));
        assertThat(history.get("data").size()).isEqualTo(1);
        JsonNode delivery = history.get("data").get(0);
        assertThat(names(delivery)).containsExactly("deliveryId", "event", "eventId", "status", "attempts",
                "statusCode", "durationMs", "error", "createdAt", "nextAttemptAt", "completedAt", "attemptHistory");
        assertThat(delivery.get("deliveryId").asString()).isEqualTo(failed.get("deliveryId").asString());
        assertThat(delivery.get("event").asString()).isEqualTo("test.ping");
        assertThat(delivery.get("eventId").isNull()).isTrue();
        assertThat(delivery.get("status").asString()).isEqualTo("failed");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
        assertThat(delivery.get("statusCode").asInt()).isEqualTo(500);
        assertThat(delivery.get("nextAttemptAt").isNull()).isTrue();
        assertThat(delivery.get("completedAt").isNull()).isFalse();
        JsonNode attempt = delivery.get("attemptHistory").get(0);
        assertThat(names(attempt)).containsExactly("attempt", "status", "statusCode", "durationMs", "error",
                "attemptedAt");
        assertThat(attempt.get("attempt").asInt()).isEqualTo(1);
        assertThat(attempt.get("status").asString()).isEqualTo("failed");
        assertThat(attempt.get("statusCode").asInt()).isEqualTo(500);
    }

    @Test
    void listsAndDeliveriesArePaginatedNewestFirst() {
        List<String> ids = new ArrayList<>();
        for (String name : List.of("First", "Second", "Third")) {
            ids.add(client.createWebhook(webhook(name, receiver.url(), "*")).get("id").asString());
        }

        JsonNode first = paged(client.list("pageSize=2"));
        assertThat(fieldOf(first, "name")).containsExactly("Third", "Second");
        assertThat(first.get("pagination").toString())
                .isEqualTo("{\"page\":1,\"pageSize\":2,\"totalItems\":3,\"totalPages\":2}");
        JsonNode second = paged(client.list("page=2&pageSize=2"));
        assertThat(fieldOf(second, "name")).containsExactly("First");
        assertThat(paged(client.list("page=3&pageSize=2")).get("data").size()).isZero();

        String id = ids.getFirst();
        List<String> deliveryIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            deliveryIds.add(success(client.test(id, null), 200).get("deliveryId").asString());
        }
        JsonNode newest = paged(client.deliveries(id, "pageSize=2"));
        assertThat(fieldOf(newest, "deliveryId")).containsExactly(deliveryIds.get(2), deliveryIds.get(1));
        assertThat(newest.get("pagination").toString())
                .isEqualTo("{\"page\":1,\"pageSize\":2,\"totalItems\":3,\"totalPages\":2}");
        assertThat(fieldOf(paged(client.deliveries(id, "page=2&pageSize=2")), "deliveryId"))
                .containsExactly(deliveryIds.get(0));

        validation(client.list("page=0"), "page");
        validation(client.list("pageSize=101"), "pageSize");
        validation(client.list("pageSize=x"), "pageSize");
        validation(client.deliveries(id, "page=0"), "page");
        validation(client.deliveries(id, "pageSize=0"), "pageSize");
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndCreatesNothing() {
        Function<Map<String, Object>, Map<String, Object>> with = changes -> {
            Map<String, Object> body = specExample();
            body.putAll(changes);
            return body;
        };
        Map<String, Object> noName = specExample();
        noName.remove("name");
        validation(client.create(noName), "name");
        validation(client.create(with.apply(Map.of("name", "x".repeat(101)))), "name");
        Map<String, Object> noUrl = specExample();
        noUrl.remove("url");
        validation(client.create(noUrl), "url");
        validation(client.create(with.apply(Map.of("url", "not a url"))), "url");
        validation(client.create(with.apply(Map.of("url", "ftp://example.com/hook"))), "url");
        validation(client.create(with.apply(Map.of("url", "https://user:pw@example.com/hook"))), "url");
        validation(client.create(with.apply(Map.of("url", "https://no-such-host.invalid/hook"))), "url");
        Map<String, Object> noEvents = specExample();
        noEvents.remove("events");
        validation(client.create(noEvents), "events");
        validation(client.create(with.apply(Map.of("events", List.of()))), "events");
        JsonNode unknown = validation(client.create(with.apply(Map.of("events",
                List.of("key.created", "key.exploded")))), "events[1]");
        assertThat(unknown.get("details").get("allowedEvents").toString())
                .isEqualTo("[\"key.created\",\"key.updated\",\"key.rotated\",\"key.revoked\",\"*\"]");
        JsonNode badSecret = validation(client.create(with.apply(Map.of("secret", "not a secret!"))), "secret");
        assertThat(badSecret.toString()).doesNotContain("not a secret!");
        validation(client.create(with.apply(Map.of("secret", "whsec_c2hvcnQ="))), "secret");
        validation(client.create(with.apply(Map.of("headers", Map.of("Content-Type", "text/plain")))),
                "headers.Content-Type");
        validation(client.create(with.apply(Map.of("headers", Map.of("webhook-signature", "v1,forged")))),
                "headers.webhook-signature");
        validation(client.create(with.apply(Map.of("headers", Map.of("X-Evil", "a\r\nInjected: yes")))),
                "headers.X-Evil");
        validation(client.create(with.apply(Map.of("headers", Map.of("Bad Name", "v")))), "headers.Bad Name");
        validation(client.create(with.apply(Map.of("headers", Map.of("X-Long", "v".repeat(1001))))),
                "headers.X-Long");
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 21; i++) {
            many.put("X-H" + i, "v");
        }
        validation(client.create(with.apply(Map.of("headers", many))), "headers");
        validation(client.postRaw("/api/v1/webhooks", "{\"name\":"), "body");
        validation(client.postRaw("/api/v1/webhooks", "{\"name\":\"n\",\"url\":\"" + receiver.url()
                + "\",\"events\":\"key.created\"}"), "events");
        // every broken rule is listed, the first one named in details.field
        JsonNode all = validation(client.create(Map.of("name", "", "url", "nope", "events", List.of("x"))), "name");
        assertThat(all.get("details").get("fields").size()).isEqualTo(3);

        assertThat(paged(client.list("")).get("data").size()).isZero();

        String id = client.createWebhook(specExample()).get("id").asString();
        validation(client.test(id, Map.of("event", "key.exploded")), "event");
        validation(client.test(id, Map.of("event", "*")), "event");
        validation(client.test(id, Map.of("payload", List.of(1, 2))), "payload");
        validation(client.test(id, Map.of("payload", Map.of("big", "x".repeat(70_000)))), "payload");
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void scopesAreRequiredAndAdminHoldsThemAll() {
        String id = client.createWebhook(specExample()).get("id").asString();
        WebhooksClient anonymous = WebhooksClient.anonymous(port);
        WebhooksClient reader = WebhooksClient.withToken(port,
                TestTokens.forTenant(tenant).scopes("read:webhooks").mint());
        WebhooksClient writerOnly = WebhooksClient.withToken(port,
                TestTokens.forTenant(tenant).scopes("write:webhooks").mint());
        WebhooksClient otherScopes = WebhooksClient.withToken(port,
                TestTokens.forTenant(tenant).scopes("read:keys", "read:requests").mint());
        WebhooksClient adminScope = WebhooksClient.withToken(port,
                TestTokens.forTenant(tenant).scopes("admin").mint());
        WebhooksClient adminRole = WebhooksClient.withToken(port,
                TestTokens.forTenant(tenant).roles("admin").mint());

        List<Function<WebhooksClient, ResponseEntity<JsonNode>>> reads = List.of(
                c -> c.list(""), c -> c.get(id), c -> c.deliveries(id, ""));
        List<Function<WebhooksClient, ResponseEntity<JsonNode>>> writes = List.of(
                c -> c.create(specExample()), c -> c.update(id, Map.of("name", "Changed")), c -> c.test(id, null),
                c -> c.delete(id));
        for (Function<WebhooksClient, ResponseEntity<JsonNode>> call : concat(reads, writes)) {
            error(call.apply(anonymous), 401, "MISSING_API_KEY");
            error(call.apply(otherScopes), 403, "INSUFFICIENT_SCOPE");
        }
        for (Function<WebhooksClient, ResponseEntity<JsonNode>> call : writes) {
            error(call.apply(reader), 403, "INSUFFICIENT_SCOPE");
        }
        for (Function<WebhooksClient, ResponseEntity<JsonNode>> call : reads) {
            error(call.apply(writerOnly), 403, "INSUFFICIENT_SCOPE");
            assertThat(call.apply(reader).getStatusCode().value()).isEqualTo(200);
            assertThat(call.apply(adminScope).getStatusCode().value()).isEqualTo(200);
        }
        assertThat(success(client.get(id), 200).get("name").asString()).isEqualTo("Security Alerts");

        success(adminScope.update(id, Map.of("name", "By admin scope")), 200);
        success(writerOnly.test(id, null), 200);
        success(adminRole.create(specExample()), 201);
        success(adminRole.delete(id), 200);

        WebhooksClient noTenant = WebhooksClient.withToken(port, TestTokens.withoutTenant().roles("admin").mint());
        error(noTenant.list(""), 403, "FORBIDDEN");
        error(noTenant.create(specExample()), 403, "FORBIDDEN");
    }

    @Test
    void anotherTenantsWebhookIsNotFoundAnywhere() {
        JsonNode created = client.createWebhook(specExample());
        String id = created.get("id").asString();
        String other = "tenant-" + UUID.randomUUID();
        WebhooksClient stranger = WebhooksClient.writer(port, other);
        WebhooksClient strangerAdmin = WebhooksClient.withToken(port,
                TestTokens.forTenant(other).roles("admin").mint());

        for (WebhooksClient caller : List.of(stranger, strangerAdmin)) {
            JsonNode notFound = error(caller.get(id), 404, "NOT_FOUND");
            assertThat(notFound.get("details").get("field").asString()).isEqualTo("id");
            error(caller.update(id, Map.of("name", "Hijacked", "url", "https://203.0.113.9/x")), 404, "NOT_FOUND");
            error(caller.test(id, null), 404, "NOT_FOUND");
            error(caller.deliveries(id, ""), 404, "NOT_FOUND");
            error(caller.delete(id), 404, "NOT_FOUND");
            assertThat(paged(caller.list("")).get("data").size()).isZero();
        }
        assertThat(receiver.received()).isEmpty();
        assertThat(success(client.get(id), 200)).isEqualTo(withoutSecret(created));

        error(client.get("whk_" + "0".repeat(26)), 404, "NOT_FOUND");
        error(client.get("not-an-id"), 404, "NOT_FOUND");
        error(client.update("not-an-id", Map.of()), 404, "NOT_FOUND");
        error(client.delete("key_" + "0".repeat(26)), 404, "NOT_FOUND");
    }

    private static JsonNode withoutSecret(JsonNode created) {
        ObjectNode copy = (ObjectNode) created.deepCopy();
        copy.remove("secret");
        return copy;
    }

    private static List<String> fieldOf(JsonNode body, String field) {
        List<String> values = new ArrayList<>();
        body.get("data").forEach(item -> values.add(item.get(field).asString()));
        return values;
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private long count(String sql, Object... args) {
        Long count = jdbc.queryForObject(sql, Long.class, args);
        return count == null ? 0 : count;
    }
}
