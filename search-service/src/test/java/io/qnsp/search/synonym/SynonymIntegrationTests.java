package io.qnsp.search.synonym;

import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.search.AuditStream;
import io.qnsp.search.SearchApi;
import io.qnsp.search.SearchIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Synonym groups of a tenant rewrite its queries, equivalent both ways and one-way in one direction only. */
@SearchIntegrationTest
class SynonymIntegrationTests {

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

    final String alpha = "tenant-" + UUID.randomUUID();
    final String beta = "tenant-" + UUID.randomUUID();
    SearchApi alphaApi;
    SearchApi betaApi;
    AuditStream stream;

    @BeforeEach
    void setUp() {
        alphaApi = SearchApi.tenant(port, alpha);
        betaApi = SearchApi.tenant(port, beta);
        stream = new AuditStream(outbox, transactions, jdbc, redis, keys);
    }

    @Test
    void anEquivalentGroupExpandsEveryTermToTheOthers() {
        JsonNode created = ok(alphaApi.createSynonyms("removal", "equivalent", List.of("Delete", "remove", "purge"),
                List.of()), 201);
        assertThat(created.get("groupId").asString()).isNotBlank();
        assertThat(created.get("name").asString()).isEqualTo("removal");
        assertThat(created.get("createdAt").asString()).isNotBlank();
        assertThat(created.get("terms").valueStream().map(JsonNode::asString)).containsExactly("delete", "remove",
                "purge");

        JsonNode expansion = ok(alphaApi.expand("REMOVE", null));
        assertThat(expansion.get("original").asString()).isEqualTo("REMOVE");
        assertThat(expansion.get("expansions").valueStream().map(JsonNode::asString)).containsExactly("delete",
                "purge");
        // another tenant's groups never apply
        assertThat(ok(betaApi.expand("remove", null)).get("expansions").isEmpty()).isTrue();
    }

    @Test
    void aOneWayGroupExpandsItsFirstTermOnlyAndOnlyInItsIndices() {
        ok(alphaApi.createSynonyms("credentials", "one_way", List.of("credential", "api key", "secret"),
                List.of("audit-events")), 201);

        assertThat(ok(alphaApi.expand("credential", "audit-events")).get("expansions").valueStream()
                .map(JsonNode::asString)).containsExactly("api key", "secret");
        assertThat(ok(alphaApi.expand("secret", "audit-events")).get("expansions").isEmpty()).isTrue();
        assertThat(ok(alphaApi.expand("credential", "request-logs")).get("expansions").isEmpty()).isTrue();
    }

    @Test
    void queriesAreRewrittenBySynonymsAtQueryTime() {
        AuditEvent purged = stream.publish(alpha, "storage.object.purged", "object", "obj-" + UUID.randomUUID(),
                Map.of());
        AuditEvent betaPurged = stream.publish(beta, "storage.object.purged", "object", "obj-" + UUID.randomUUID(),
                Map.of());
        stream.awaitIndexed(purged);
        stream.awaitIndexed(betaPurged);
        assertThat(alphaApi.search("erase object").get("total").asLong()).isZero();

        ok(alphaApi.createSynonyms("erasure", "equivalent", List.of("erase", "purge"), List.of()), 201);

        JsonNode found = alphaApi.search("erase object");
        assertThat(found.get("rewrittenQueries").valueStream().map(JsonNode::asString))
                .containsExactly("purge object");
        assertThat(found.get("results").valueStream().map(r -> r.get("sourceId").asString()))
                .containsExactly(purged.eventId().toString());
        // beta's documents match the rewriting too, but beta has no such group and alpha sees only its own
        assertThat(betaApi.search("erase object").get("total").asLong()).isZero();
    }

    @Test
    void aGroupIsValidatedAndItsNameIsTheTenantsOnce() {
        assertFieldRefused(alphaApi.createSynonyms(null, "equivalent", List.of("a", "b"), List.of()), "name");
        assertFieldRefused(alphaApi.createSynonyms("g", "both_ways", List.of("a", "b"), List.of()), "type");
        assertFieldRefused(alphaApi.createSynonyms("g", "equivalent", List.of("a"), List.of()), "terms");
        assertFieldRefused(alphaApi.createSynonyms("g", "equivalent", List.of("Key", "key "), List.of()), "terms");
        assertFieldRefused(alphaApi.createSynonyms("g", "equivalent", List.of("a", "b"), List.of("logs")),
                "indexNames[0]");
        assertFieldRefused(alphaApi.expand(" ", null), "term");
        assertFieldRefused(alphaApi.expand("key", "logs"), "indexName");

        ok(alphaApi.createSynonyms("same", "equivalent", List.of("a", "b"), List.of()), 201);
        assertStatus(alphaApi.createSynonyms("same", "equivalent", List.of("c", "d"), List.of()), 409);
        ok(betaApi.createSynonyms("same", "equivalent", List.of("c", "d"), List.of()), 201);
    }
}
