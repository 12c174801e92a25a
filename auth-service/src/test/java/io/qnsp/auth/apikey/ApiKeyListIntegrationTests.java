package io.qnsp.auth.apikey;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.auth.apikey.DataHubAssertions.names;
import static io.qnsp.auth.apikey.DataHubAssertions.success;
import static io.qnsp.auth.apikey.DataHubAssertions.validation;
import static org.assertj.core.api.Assertions.assertThat;

/** Listing keys: pages, the status filter, search in name and description, and every sort field. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
@Import(ApiKeyTestConfiguration.class)
class ApiKeyListIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    ApiKeyUsage usage;

    KeysClient api;
    KeysClient gateway;

    @BeforeEach
    void setUp() {
        api = KeysClient.writer(port, "tenant-" + UUID.randomUUID());
        gateway = KeysClient.gateway(port);
    }

    // nothing left for the shutdown flush, which would race the test database's own shutdown
    @AfterEach
    void flushUses() {
        usage.flush();
    }

    @Test
    void pagesAreNewestFirstByDefaultWithTheirTotals() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(api.createKey("Key number " + i).get("id").asString());
        }

        ResponseEntity<JsonNode> first = api.list("");
        JsonNode all = success(first, 200);
        assertThat(names(first.getBody())).containsExactly("success", "data", "pagination", "meta");
        assertThat(ids(all)).containsExactlyElementsOf(ids.reversed());
        assertThat(first.getBody().get("pagination").toString())
                .isEqualTo("{\"page\":1,\"pageSize\":20,\"totalItems\":5,\"totalPages\":1}");

        ResponseEntity<JsonNode> second = api.list("page=2&pageSize=2");
        assertThat(ids(success(second, 200))).containsExactly(ids.get(2), ids.get(1));
        assertThat(second.getBody().get("pagination").toString())
                .isEqualTo("{\"page\":2,\"pageSize\":2,\"totalItems\":5,\"totalPages\":3}");

        ResponseEntity<JsonNode> beyond = api.list("page=9&pageSize=2");
        assertThat(success(beyond, 200).size()).isZero();
        assertThat(beyond.getBody().get("pagination").get("totalItems").asLong()).isEqualTo(5);
    }

    @Test
    void listItemsCarryTheDocumentedFieldsAndNeverTheKey() {
        JsonNode created = api.createKey("Listed key", "read:requests", "write:webhooks");

        ResponseEntity<JsonNode> response = api.list("");
        JsonNode item = success(response, 200).get(0);

        assertThat(names(item)).contains("id", "keyPrefix", "name", "status", "scopes", "totalRequests",
                "lastUsedAt", "createdAt").doesNotContain("apiKey");
        assertThat(item.get("keyPrefix").asString()).isEqualTo(created.get("keyPrefix").asString());
        assertThat(item.get("scopes").toString()).isEqualTo("[\"read:requests\",\"write:webhooks\"]");
        assertThat(response.getBody().toString()).doesNotContain(created.get("apiKey").asString());
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        validation(api.list("pageSize=101"), "pageSize");
        validation(api.list("pageSize=0"), "pageSize");
        validation(api.list("page=0"), "page");
        validation(api.list("page=abc"), "page");
        JsonNode status = validation(api.list("status=sleeping"), "status");
        assertThat(status.get("details").get("allowedValues").toString())
                .isEqualTo("[\"all\",\"active\",\"deprecated\",\"revoked\",\"expired\"]");
        validation(api.list("sortBy=password"), "sortBy");
        validation(api.list("sortOrder=up"), "sortOrder");
        validation(api.list("search=" + "x".repeat(201)), "search");
        assertThat(success(api.list("pageSize=100&sortOrder=ASC&status=ALL"), 200).isArray()).isTrue();
    }

    @Test
    void theStatusFilterUsesTheStatusKeysHaveNow() {
        String active = api.createKey("Stays active").get("id").asString();
        String revoked = api.createKey("Gets revoked").get("id").asString();
        String rotated = api.createKey("Gets rotated").get("id").asString();
        Map<String, Object> expiring = KeysClient.keyRequest("Expires soon");
        expiring.put("expiresAt", clock.instant().plus(Duration.ofMinutes(30)).toString());
        String expired = success(api.create(expiring), 201).get("id").asString();
        success(api.revoke(revoked), 200);
        String successor = success(api.rotate(rotated, Map.of("deprecationPeriod", 7200)), 200)
                .get("newKey").get("id").asString();
        clock.advance(Duration.ofHours(1));

        assertThat(ids(success(api.list("status=active"), 200))).containsExactlyInAnyOrder(active, successor);
        assertThat(ids(success(api.list("status=revoked"), 200))).containsExactly(revoked);
        assertThat(ids(success(api.list("status=deprecated"), 200))).containsExactly(rotated);
        assertThat(ids(success(api.list("status=expired"), 200))).containsExactly(expired);
        assertThat(success(api.list("status=all"), 200).size()).isEqualTo(5);
        assertThat(success(api.get(expired), 200).get("status").asString()).isEqualTo("expired");

        clock.advance(Duration.ofHours(2));
        assertThat(ids(success(api.list("status=expired"), 200))).containsExactlyInAnyOrder(expired, rotated);
        assertThat(ids(success(api.list("status=deprecated"), 200))).isEmpty();
    }

    @Test
    void searchFindsTextInNameOrDescriptionIgnoringCase() {
        Map<String, Object> described = KeysClient.keyRequest("Billing exporter");
        described.put("description", "Feeds the FINANCE warehouse");
        String billing = success(api.create(described), 201).get("id").asString();
        String finance = api.createKey("finance dashboard").get("id").asString();
        String percent = api.createKey("100% coverage").get("id").asString();
        api.createKey("Unrelated");

        assertThat(ids(success(api.search("Finance"), 200))).containsExactlyInAnyOrder(billing, finance);
        assertThat(ids(success(api.search("EXPORT"), 200))).containsExactly(billing);
        assertThat(ids(success(api.search("%"), 200))).containsExactly(percent);
        assertThat(ids(success(api.search("_"), 200))).isEmpty();
        assertThat(ids(success(api.search("nothing-like-this"), 200))).isEmpty();
    }

    @Test
    void everySortFieldSortsBothWays() {
        String charlie = api.createKey("charlie").get("id").asString();
        Map<String, Object> expiresLate = KeysClient.keyRequest("Alpha");
        expiresLate.put("expiresAt", clock.instant().plus(Duration.ofDays(20)).toString());
        String alpha = success(api.create(expiresLate), 201).get("id").asString();
        Map<String, Object> expiresEarly = KeysClient.keyRequest("bravo");
        expiresEarly.put("expiresAt", clock.instant().plus(Duration.ofDays(10)).toString());
        String bravo = success(api.create(expiresEarly), 201).get("id").asString();

        assertThat(ids(success(api.list("sortBy=createdAt&sortOrder=asc"), 200)))
                .containsExactly(charlie, alpha, bravo);
        assertThat(ids(success(api.list("sortBy=name&sortOrder=asc"), 200))).containsExactly(alpha, bravo, charlie);
        assertThat(ids(success(api.list("sortBy=name"), 200))).containsExactly(charlie, bravo, alpha);
        // keys that never expire come last either way
        assertThat(ids(success(api.list("sortBy=expiresAt&sortOrder=asc"), 200)))
                .containsExactly(bravo, alpha, charlie);
        assertThat(ids(success(api.list("sortBy=expiresAt&sortOrder=desc"), 200)))
                .containsExactly(alpha, bravo, charlie);

        success(api.revoke(charlie), 200);
        assertThat(ids(success(api.list("sortBy=status&sortOrder=asc"), 200)).getLast()).isEqualTo(charlie);
        assertThat(ids(success(api.list("sortBy=status&sortOrder=desc"), 200)).getFirst()).isEqualTo(charlie);
    }

    @Test
    void lastUseSortsNewestFirstAndNeverUsedLast() {
        JsonNode first = api.createKey("Used first");
        JsonNode second = api.createKey("Used second");
        String unused = api.createKey("Never used").get("id").asString();
        gateway.verify(first.get("apiKey").asString());
        clock.advance(Duration.ofSeconds(30));
        gateway.verify(second.get("apiKey").asString());
        usage.flush();

        String firstId = first.get("id").asString();
        String secondId = second.get("id").asString();
        assertThat(ids(success(api.list("sortBy=lastUsedAt&sortOrder=desc"), 200)))
                .containsExactly(secondId, firstId, unused);
        assertThat(ids(success(api.list("sortBy=lastUsedAt&sortOrder=asc"), 200)))
                .containsExactly(firstId, secondId, unused);
    }

    private static List<String> ids(JsonNode data) {
        List<String> ids = new ArrayList<>();
        data.forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }
}
