package io.qnsp.search.health;

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

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.search.SearchApi.body;
import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Index health from PostgreSQL's own figures, and maintenance windows that really run on the indices. */
@SearchIntegrationTest
class HealthIntegrationTests {

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

    @Autowired
    MaintenanceWindows windows;

    final String alpha = "tenant-" + UUID.randomUUID();
    final String beta = "tenant-" + UUID.randomUUID();
    AuditStream stream;

    @BeforeEach
    void setUp() {
        stream = new AuditStream(outbox, transactions, jdbc, redis, keys);
    }

    @Test
    void healthCountsTheTenantsOwnDocumentsAndReportsTheRealIndex() {
        for (int i = 0; i < 3; i++) {
            stream.awaitIndexed(stream.publish(alpha, "access.policy.created", "policy", "p-" + i, Map.of()));
        }
        AuditEvent key = stream.publish(alpha, "auth.api_key.created", "api_key", "k-1", Map.of("name", "ci"));
        stream.awaitIndexed(alpha, "api-keys", "k-1");
        stream.awaitIndexed(stream.publish(beta, "access.policy.created", "policy", "p-9", Map.of()));

        JsonNode health = ok(SearchApi.tenant(port, alpha).get("/search/v1/health/current"));
        Map<String, JsonNode> indices = byName(health);
        assertThat(indices.keySet()).containsExactly("audit-events", "request-logs", "api-keys", "secrets");
        assertThat(indices.get("audit-events").get("documentCount").asLong()).isEqualTo(4);
        assertThat(indices.get("api-keys").get("documentCount").asLong()).isEqualTo(1);
        assertThat(indices.get("secrets").get("documentCount").asLong()).isZero();
        assertThat(indices.get("secrets").get("sizeBytes").asLong()).isZero();
        long ownBytes = jdbc.queryForObject("SELECT sum(pg_column_size(d.*)) FROM document d WHERE tenant_id = ? "
                + "AND index_name = 'audit-events'", Long.class, alpha);
        assertThat(indices.get("audit-events").get("sizeBytes").asLong()).isEqualTo(ownBytes);
        long relation = jdbc.queryForObject("SELECT pg_total_relation_size('document_audit_events')", Long.class);
        assertThat(indices.get("audit-events").get("relationSizeBytes").asLong()).isEqualTo(relation);
        // primary key, tenant/source key, GIN and tenant index: every one valid
        assertThat(indices.get("audit-events").get("shards").get("total").asInt()).isEqualTo(4);
        assertThat(indices.get("audit-events").get("shards").get("successful").asInt()).isEqualTo(4);
        assertThat(health.get("overallHealth").asString()).isIn("green", "yellow");

        JsonNode betaHealth = ok(SearchApi.tenant(port, beta).get("/search/v1/health/current"));
        assertThat(byName(betaHealth).get("audit-events").get("documentCount").asLong()).isEqualTo(1);
        assertThat(key.tenantId()).isEqualTo(alpha);
    }

    @Test
    void anInvalidIndexStructureTurnsTheIndexRed() {
        jdbc.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = "
                + "'document_secrets_tsv_idx'::regclass");
        try {
            JsonNode health = ok(SearchApi.tenant(port, alpha).get("/search/v1/health/current"));
            assertThat(health.get("overallHealth").asString()).isEqualTo("red");
            JsonNode secrets = byName(health).get("secrets");
            assertThat(secrets.get("status").asString()).isEqualTo("red");
            assertThat(secrets.get("shards").get("successful").asInt()).isEqualTo(3);
            assertThat(secrets.get("issues").get(0).asString()).contains("reindex");
        } finally {
            jdbc.execute("REINDEX INDEX document_secrets_tsv_idx");
        }
        assertThat(byName(ok(SearchApi.tenant(port, alpha).get("/search/v1/health/current"))).get("secrets")
                .get("shards").get("successful").asInt()).isEqualTo(4);
    }

    @Test
    void maintenanceWindowsRunWhenDue() {
        stream.publish(alpha, "vault.secret_version.created", "versioned_secret", "db-1", Map.of("owner", "ops"));
        stream.publish(alpha, "vault.secret_version.created", "versioned_secret", "db-2", Map.of("owner", "ops"));
        stream.awaitIndexed(alpha, "secrets", "db-1");
        stream.awaitIndexed(alpha, "secrets", "db-2");
        SearchApi api = SearchApi.tenant(port, alpha);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        JsonNode later = ok(api.post("/search/v1/health/maintenance", body("indexNames", List.of("audit-events"),
                "maintenanceType", "optimize", "scheduledAt", now.plusSeconds(3600).toString(),
                "duration", "PT1H")), 201);
        assertThat(later.get("status").asString()).isEqualTo("scheduled");
        assertThat(later.get("scheduledAt").asString()).isEqualTo(now.plusSeconds(3600).toString());
        JsonNode optimize = ok(api.post("/search/v1/health/maintenance", body("indexNames", List.of("audit-events",
                "api-keys"), "maintenanceType", "optimize", "scheduledAt", now.toString(), "duration", "PT10M")), 201);
        JsonNode reindex = ok(api.post("/search/v1/health/maintenance", body("indexNames", List.of("secrets"),
                "maintenanceType", "reindex", "scheduledAt", now.toString(), "duration", "PT10M")), 201);
        JsonNode backup = ok(api.post("/search/v1/health/maintenance", body("indexNames", List.of("secrets"),
                "maintenanceType", "backup", "scheduledAt", now.toString(), "duration", "PT10M")), 201);

        assertThat(windows.runDue()).isGreaterThanOrEqualTo(3);

        JsonNode optimized = ok(api.get("/search/v1/health/maintenance/" + optimize.get("windowId").asString()));
        assertThat(optimized.get("status").asString()).isEqualTo("completed");
        assertThat(optimized.get("outcome").asString()).contains("audit-events: VACUUM ANALYZE done")
                .contains("api-keys: VACUUM ANALYZE done");
        JsonNode vacuumed = byName(ok(api.get("/search/v1/health/current"))).get("audit-events");
        assertThat(vacuumed.get("lastVacuumAt").isNull()).isFalse();
        assertThat(vacuumed.get("lastAnalyzeAt").isNull()).isFalse();
        assertThat(ok(api.get("/search/v1/health/maintenance/" + reindex.get("windowId").asString()))
                .get("outcome").asString()).contains("secrets: REINDEX done");
        JsonNode backedUp = ok(api.get("/search/v1/health/maintenance/" + backup.get("windowId").asString()));
        assertThat(backedUp.get("outcome").asString()).contains("backup of 2 documents");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document_backup WHERE window_id = ?::uuid AND "
                + "tenant_id = ?", Integer.class, backup.get("windowId").asString(), alpha)).isEqualTo(2);
        assertThat(ok(api.get("/search/v1/health/maintenance/" + later.get("windowId").asString()))
                .get("status").asString()).isEqualTo("scheduled");
        // another tenant's window is not there for anyone else
        assertStatus(SearchApi.tenant(port, beta).get("/search/v1/health/maintenance/"
                + optimize.get("windowId").asString()), 404);
    }

    @Test
    void aMaintenanceWindowIsValidated() {
        SearchApi api = SearchApi.tenant(port, alpha);
        String at = Instant.now().plusSeconds(60).toString();
        assertFieldRefused(api.post("/search/v1/health/maintenance", body("indexNames", List.of(),
                "maintenanceType", "optimize", "scheduledAt", at, "duration", "PT1H")), "indexNames");
        assertFieldRefused(api.post("/search/v1/health/maintenance", body("indexNames", List.of("logs"),
                "maintenanceType", "optimize", "scheduledAt", at, "duration", "PT1H")), "indexNames[0]");
        assertFieldRefused(api.post("/search/v1/health/maintenance", body("indexNames", List.of("secrets"),
                "maintenanceType", "defrag", "scheduledAt", at, "duration", "PT1H")), "maintenanceType");
        assertFieldRefused(api.post("/search/v1/health/maintenance", body("indexNames", List.of("secrets"),
                "maintenanceType", "backup", "scheduledAt", "tomorrow", "duration", "PT1H")), "scheduledAt");
        assertFieldRefused(api.post("/search/v1/health/maintenance", body("indexNames", List.of("secrets"),
                "maintenanceType", "backup", "scheduledAt", "2001-01-01T00:00:00Z", "duration", "PT1H")),
                "scheduledAt");
        assertFieldRefused(api.post("/search/v1/health/maintenance", body("indexNames", List.of("secrets"),
                "maintenanceType", "backup", "scheduledAt", at, "duration", "an hour")), "duration");
        assertFieldRefused(api.post("/search/v1/health/maintenance", body("indexNames", List.of("secrets"),
                "maintenanceType", "backup", "scheduledAt", at, "duration", "P2D")), "duration");
        assertFieldRefused(api.get("/search/v1/health/maintenance/nope"), "windowId");
        assertStatus(api.get("/search/v1/health/maintenance/" + UUID.randomUUID()), 404);
    }

    private static Map<String, JsonNode> byName(JsonNode health) {
        Map<String, JsonNode> indices = new java.util.LinkedHashMap<>();
        health.get("indices").forEach(index -> indices.put(index.get("indexName").asString(), index));
        return indices;
    }
}
