package io.qnsp.search.index;

import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.search.AuditStream;
import io.qnsp.search.SearchApi;
import io.qnsp.search.SearchIntegrationTest;
import io.qnsp.search.SearchScopes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

/** Events of the platform's streams become searchable for their tenant, and for no other. */
@SearchIntegrationTest
class EventIndexingIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    EventOutbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    AuditStream stream;
    final String alpha = "tenant-" + UUID.randomUUID();
    final String beta = "tenant-" + UUID.randomUUID();

    @BeforeEach
    void setUp() {
        stream = new AuditStream(outbox, transactions, jdbc, redis, keys);
    }

    @Test
    void anAuditEventBecomesSearchableForItsTenantAndNeverForAnother() {
        SearchApi alphaApi = SearchApi.tenant(port, alpha);
        SearchApi betaApi = SearchApi.tenant(port, beta);
        assertThat(alphaApi.search("quarantined").get("total").asLong()).isZero();

        AuditEvent event = stream.publish(alpha, "kms.key.quarantined", "key", "key-" + UUID.randomUUID(),
                Map.of("reason", "suspected compromise"));
        stream.awaitIndexed(event);

        JsonNode found = alphaApi.search("quarantined key compromise");
        assertThat(found.get("total").asLong()).isEqualTo(1);
        JsonNode hit = found.get("results").get(0);
        assertThat(hit.get("sourceId").asString()).isEqualTo(event.eventId().toString());
        assertThat(hit.get("indexName").asString()).isEqualTo("audit-events");
        assertThat(hit.get("title").asString()).isEqualTo("kms key quarantined key");
        assertThat(hit.get("snippet").asString()).contains("<b>");
        assertThat(hit.get("score").asDouble()).isPositive();

        // the other tenant finds nothing: not by its words, not by its event id, not by its resource id
        assertThat(betaApi.search("quarantined key compromise").get("total").asLong()).isZero();
        assertThat(betaApi.search(event.eventId().toString()).get("total").asLong()).isZero();
        assertThat(betaApi.search(event.resourceId()).get("total").asLong()).isZero();
        assertThat(alphaApi.sourceIds(event.resourceId())).containsExactly(event.eventId().toString());
    }

    @Test
    void aRedeliveredEventIsIndexedOnce() {
        AuditEvent event = stream.publish(alpha, "vault.secret.rolled_back", "versioned_secret",
                "payments-db-" + UUID.randomUUID(), Map.of());
        stream.awaitIndexed(event);
        stream.awaitAcknowledged(AuditEvent.STREAM);
        stream.redeliver(event);
        stream.awaitAcknowledged(AuditEvent.STREAM);
        AuditEvent later = stream.publish(alpha, "vault.secret.retention_set", "versioned_secret",
                event.resourceId(), Map.of());
        stream.awaitIndexed(later);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM document WHERE source_id = ?", Integer.class,
                event.eventId().toString())).isEqualTo(1);
        assertThat(SearchApi.tenant(port, alpha).sourceIds("rolled back")).containsExactly(
                event.eventId().toString());
    }

    @Test
    void apiKeysAndSecretsAreIndexedByTheirNamesAndMetadataNeverTheirValues() {
        String keyId = "key_" + UUID.randomUUID().toString().replace("-", "");
        stream.publish(alpha, "auth.api_key.created", "api_key", keyId,
                Map.of("name", "Billing exporter", "description", "nightly invoice export to the warehouse"));
        stream.awaitIndexed(alpha, "api-keys", keyId);
        String secretId = "warehouse-" + UUID.randomUUID();
        stream.publish(alpha, "vault.secret_version.created", "versioned_secret", secretId,
                Map.of("name", "warehouse password", "owner", "data team", "value", "hunter2-plaintext"));
        stream.awaitIndexed(alpha, "secrets", secretId);

        SearchApi alphaApi = SearchApi.tenant(port, alpha);
        JsonNode keys = SearchApi.expect(alphaApi.query("invoice export", "api-keys"), 200);
        assertThat(keys.get("total").asLong()).isEqualTo(1);
        assertThat(keys.get("results").get(0).get("sourceId").asString()).isEqualTo(keyId);
        assertThat(keys.get("results").get(0).get("title").asString()).isEqualTo("API key Billing exporter");

        // a later event about the key without its description keeps what the first one said
        stream.publish(alpha, "auth.api_key.rotated", "api_key", keyId, Map.of());
        AuditEvent marker = stream.publish(alpha, "auth.api_key.used", "api_key", keyId, Map.of());
        stream.awaitIndexed(marker);
        assertThat(SearchApi.expect(alphaApi.query("warehouse export", "api-keys"), 200).get("total").asLong())
                .isEqualTo(1);

        JsonNode secrets = SearchApi.expect(alphaApi.query("data team", "secrets"), 200);
        assertThat(secrets.get("results").get(0).get("sourceId").asString()).isEqualTo(secretId);
        assertThat(alphaApi.search("hunter2").get("total").asLong()).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document WHERE body LIKE '%hunter2%' OR title LIKE "
                + "'%hunter2%'", Integer.class)).isZero();
        assertThat(SearchApi.tenant(port, beta).search("Billing exporter").get("total").asLong()).isZero();
    }

    @Test
    void requestsOfTheGatewayLogAreSearchableByPathAndStatus() {
        RequestLogEvent request = stream.logRequest(alpha, "DELETE", "/vault/v1/secrets/ledger-archive", 403);
        stream.awaitIndexed(alpha, "request-logs", request.eventId().toString());
        RequestLogEvent anonymous = stream.logRequest(null, "GET", "/vault/v1/secrets/ledger-archive", 401);
        stream.awaitAcknowledged(RequestLogEvent.STREAM);

        JsonNode found = SearchApi.expect(SearchApi.tenant(port, alpha).query("ledger archive 403",
                "request-logs"), 200);
        assertThat(found.get("results").valueStream().map(r -> r.get("sourceId").asString()))
                .containsExactly(request.eventId().toString());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document WHERE source_id = ?", Integer.class,
                anonymous.eventId().toString())).isZero();
    }

    @Test
    void aQueryIsValidatedAndScoped() {
        SearchApi api = SearchApi.tenant(port, alpha);
        assertFieldRefused(api.get("/search/v1/query"), "q");
        assertFieldRefused(api.query("key", "everything"), "indexName");
        assertFieldRefused(api.get("/search/v1/query?q=key&limit=0"), "limit");
        assertFieldRefused(api.get("/search/v1/query?q=key&offset=x"), "offset");
        assertStatus(SearchApi.anonymous(port).query("key", null), 401);
        assertStatus(SearchApi.withScopes(port, alpha, "vault:read").query("key", null), 403);
        assertStatus(SearchApi.withScopes(port, alpha, SearchScopes.READ).query("key", null), 200);
    }
}
