package io.qnsp.search.isolation;

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

import static io.qnsp.search.SearchApi.body;
import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Isolation verification runs real cross-tenant probes, and fails when the index lets one through. */
@SearchIntegrationTest
class IsolationIntegrationTests {

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
    AuditStream stream;

    @BeforeEach
    void setUp() {
        stream = new AuditStream(outbox, transactions, jdbc, redis, keys);
        stream.awaitIndexed(stream.publish(alpha, "vault.secret.created", "secret", "s-alpha", Map.of()));
        stream.awaitIndexed(stream.publish(beta, "vault.secret.created", "secret", "s-beta", Map.of()));
        stream.awaitIndexed(stream.publish(beta, "kms.key.destroyed", "key", "k-beta", Map.of()));
        SearchApi betaApi = SearchApi.tenant(port, beta);
        ok(betaApi.createSynonyms("beta-" + UUID.randomUUID(), "equivalent", List.of("destroyed", "shredded"),
                List.of()), 201);
        betaApi.search("destroyed");
    }

    @Test
    void aFullVerificationProbesEveryOtherTenantAndPasses() {
        JsonNode result = ok(SearchApi.tenant(port, alpha).post("/search/v1/isolation/verify",
                body("testType", "full", "sampleSize", 100)));
        assertThat(result.get("verificationId").asString()).isNotBlank();
        Map<String, JsonNode> tests = byName(result);
        assertThat(tests.keySet()).containsExactly("own_documents_found", "cross_tenant_queries",
                "cross_tenant_lookups", "cross_tenant_synonyms", "cross_tenant_analytics");
        assertThat(tests.values()).allMatch(test -> test.get("passed").asBoolean());
        assertThat(result.get("passed").asBoolean()).isTrue();
        // the probes ran on real data: beta's documents, synonym group and query among them
        assertThat(tests.get("own_documents_found").get("details").asString())
                .contains("searched for 2 of the tenant's documents").contains("2 found");
        assertThat(tests.get("cross_tenant_queries").get("details").asString()).contains("0 of another tenant");
        assertThat(tests.get("cross_tenant_synonyms").get("details").asString()).contains("expanded ");
        assertThat(tests.get("cross_tenant_analytics").get("details").asString()).contains(" 0 found");
        assertThat(jdbc.queryForObject("SELECT passed FROM isolation_verification WHERE verification_id = ?::uuid",
                Boolean.class, result.get("verificationId").asString())).isTrue();
    }

    @Test
    void aTenantWithoutDocumentsStillProbesTheOthers() {
        String empty = "tenant-" + UUID.randomUUID();
        JsonNode result = ok(SearchApi.tenant(port, empty).post("/search/v1/isolation/verify",
                body("testType", "query_isolation", "sampleSize", 10)));
        Map<String, JsonNode> tests = byName(result);
        assertThat(tests.keySet()).containsExactly("own_documents_found", "cross_tenant_queries");
        assertThat(tests.get("own_documents_found").get("details").asString()).contains("no documents yet");
        assertThat(tests.get("cross_tenant_queries").get("details").asString())
                .startsWith("searched for ").contains("0 of another tenant");
        assertThat(result.get("passed").asBoolean()).isTrue();
    }

    @Test
    void theRequestIsValidated() {
        SearchApi api = SearchApi.tenant(port, alpha);
        assertFieldRefused(api.post("/search/v1/isolation/verify", body("sampleSize", 5)), "testType");
        assertFieldRefused(api.post("/search/v1/isolation/verify", body("testType", "deep")), "testType");
        assertFieldRefused(api.post("/search/v1/isolation/verify", body("testType", "full", "sampleSize", 0)),
                "sampleSize");
        assertFieldRefused(api.post("/search/v1/isolation/verify", body("testType", "full", "sampleSize", 101)),
                "sampleSize");
    }

    private static Map<String, JsonNode> byName(JsonNode result) {
        Map<String, JsonNode> tests = new java.util.LinkedHashMap<>();
        result.get("tests").forEach(test -> tests.put(test.get("testName").asString(), test));
        return tests;
    }
}
