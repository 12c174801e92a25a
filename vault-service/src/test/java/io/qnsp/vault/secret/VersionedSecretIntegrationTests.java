package io.qnsp.vault.secret;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import io.qnsp.vault.VaultScopes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.IntStream;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static io.qnsp.vault.secret.SecretsApi.BASE;
import static io.qnsp.vault.secret.SecretsApi.assertError;
import static io.qnsp.vault.secret.SecretsApi.assertFieldRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Versioned secrets over real HTTP: the life of a secret's versions with exact numbers (writes, reads, deprecation,
 * destruction, rollback, comparison, history, audit log, statistics), consecutive version numbers under concurrent
 * writers, validation, tenancy and the controls.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class VersionedSecretIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    String tenant;
    SecretsApi alice;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        alice = SecretsApi.of(port, tenant, "alice");
    }

    @Test
    void aSecretLivesThroughItsVersionsWithExactNumbers() {
        JsonNode first = expect(alice.post(BASE, body("secretId", "db-password", "value", "correct horse 1",
                "metadata", Map.of("reason", "initial", "changedBy", "ci"))), 201);
        assertThat(first.get("secretId").asString()).isEqualTo("db-password");
        assertThat(first.get("version").asInt()).isEqualTo(1);
        assertThat(Instant.parse(first.get("createdAt").asString())).isBeforeOrEqualTo(Instant.now());
        assertThat(alice.created("db-password", "correct horse 2")).isEqualTo(2);
        assertThat(alice.created("db-password", "correct horse 3")).isEqualTo(3);

        JsonNode history = expect(alice.history("db-password"), 200);
        assertThat(history.get("secretId").asString()).isEqualTo("db-password");
        assertThat(versions(history, v -> v.get("version").asInt())).containsExactly(3, 2, 1);
        assertThat(versions(history, v -> v.get("state").asString())).containsOnly("active");
        assertThat(versions(history, v -> v.get("createdBy").asString())).containsOnly("alice");
        assertThat(history.get("versions").get(2).get("metadata").get("reason").asString()).isEqualTo("initial");
        assertThat(history.get("versions").get(2).get("metadata").get("changedBy").asString()).isEqualTo("ci");
        assertThat(history.get("versions").get(2).get("createdAt").asString())
                .isEqualTo(first.get("createdAt").asString());
        assertThat(history.get("versions").get(0).get("metadata").size()).isZero();
        assertThat(history.toString()).doesNotContain("correct horse");

        JsonNode read = expect(alice.version("db-password", 2), 200);
        assertThat(read.get("secretId").asString()).isEqualTo("db-password");
        assertThat(read.get("version").asInt()).isEqualTo(2);
        assertThat(read.get("value").asString()).isEqualTo("correct horse 2");
        assertThat(read.get("state").asString()).isEqualTo("active");

        // active -> deprecated: still readable; deprecated twice is refused
        JsonNode deprecated = expect(alice.changeState("db-password", 1, "deprecated"), 200);
        assertThat(deprecated.get("version").asInt()).isEqualTo(1);
        assertThat(deprecated.get("state").asString()).isEqualTo("deprecated");
        assertThat(deprecated.get("updatedAt").asString()).isNotBlank();
        JsonNode stillReadable = expect(alice.version("db-password", 1), 200);
        assertThat(stillReadable.get("value").asString()).isEqualTo("correct horse 1");
        assertThat(stillReadable.get("state").asString()).isEqualTo("deprecated");
        assertThat(stillReadable.get("metadata").get("reason").asString()).isEqualTo("initial");
        assertError(alice.changeState("db-password", 1, "deprecated"), 409, "VERSION_STATE_CONFLICT");

        // deprecated -> destroyed: the value is erased for good, the fingerprint kept; destroyed is final
        expect(alice.patch(BASE + "/db-password/versions/1/state", body("state", "destroyed",
                "reason", "compromised")), 200);
        assertError(alice.version("db-password", 1), 410, "VERSION_DESTROYED");
        Map<String, Object> row = jdbc.queryForMap("SELECT state, ciphertext, wrapped_key, fingerprint "
                + "FROM secret_version WHERE tenant_id = ? AND secret_id = 'db-password' AND version = 1", tenant);
        assertThat(row.get("state")).isEqualTo("destroyed");
        assertThat(row.get("ciphertext")).isNull();
        assertThat(row.get("wrapped_key")).isNull();
        assertThat((byte[]) row.get("fingerprint")).hasSize(32);
        assertError(alice.changeState("db-password", 1, "deprecated"), 409, "VERSION_STATE_CONFLICT");
        assertError(alice.changeState("db-password", 1, "destroyed"), 409, "VERSION_STATE_CONFLICT");

        // unknown versions
        assertError(alice.version("db-password", 9), 404, "VERSION_NOT_FOUND");
        assertError(alice.get(BASE + "/db-password/versions/0"), 404, "VERSION_NOT_FOUND");
        assertError(alice.get(BASE + "/db-password/versions/two"), 404, "VERSION_NOT_FOUND");
        assertError(alice.changeState("db-password", 9, "deprecated"), 404, "VERSION_NOT_FOUND");

        // rollback writes the old value as a new version
        JsonNode rolledBack = expect(alice.post(BASE + "/db-password/rollback", body("targetVersion", 2,
                "reason", "v3 broke the app")), 200);
        assertThat(rolledBack.get("secretId").asString()).isEqualTo("db-password");
        assertThat(rolledBack.get("newVersion").asInt()).isEqualTo(4);
        assertThat(rolledBack.get("rolledBackFrom").asInt()).isEqualTo(3);
        assertThat(rolledBack.get("rolledBackTo").asInt()).isEqualTo(2);
        assertThat(expect(alice.version("db-password", 4), 200).get("value").asString())
                .isEqualTo("correct horse 2");
        JsonNode newest = expect(alice.history("db-password"), 200).get("versions").get(0);
        assertThat(newest.get("version").asInt()).isEqualTo(4);
        assertThat(newest.get("state").asString()).isEqualTo("active");
        assertThat(newest.get("metadata").get("rolledBackTo").asInt()).isEqualTo(2);
        assertThat(newest.get("metadata").get("reason").asString()).isEqualTo("v3 broke the app");
        assertError(alice.rollback("db-password", 1), 410, "VERSION_DESTROYED");
        assertError(alice.rollback("db-password", 99), 404, "VERSION_NOT_FOUND");

        // compare from the fingerprints; a destroyed version compares too
        JsonNode same = expect(alice.compare("db-password", 2, 4), 200);
        assertThat(same.get("secretId").asString()).isEqualTo("db-password");
        assertThat(same.get("different").asBoolean()).isFalse();
        assertThat(same.get("version1").get("version").asInt()).isEqualTo(2);
        assertThat(same.get("version2").get("version").asInt()).isEqualTo(4);
        assertThat(same.get("version1").get("hash").asString()).isEqualTo(same.get("version2").get("hash").asString())
                .matches("[A-Za-z0-9_-]{43}");
        JsonNode other = expect(alice.compare("db-password", 3, 4), 200);
        assertThat(other.get("different").asBoolean()).isTrue();
        assertThat(other.get("version1").get("hash").asString()).isNotEqualTo(other.get("version2").get("hash")
                .asString());
        JsonNode withDestroyed = expect(alice.compare("db-password", 1, 3), 200);
        assertThat(withDestroyed.get("different").asBoolean()).isTrue();
        assertThat(expect(alice.compare("db-password", 1, 1), 200).get("different").asBoolean()).isFalse();
        assertError(alice.compare("db-password", 1, 7), 404, "VERSION_NOT_FOUND");

        // a second caller's read is audited under its principal
        expect(SecretsApi.of(port, tenant, "bob", VaultScopes.USE).version("db-password", 3), 200);

        JsonNode audit = expect(alice.audit("db-password"), 200);
        assertThat(audit.get("secretId").asString()).isEqualTo("db-password");
        List<String> events = new ArrayList<>();
        audit.get("events").forEach(e -> events.add(e.get("action").asString() + " " + e.get("version").asInt()
                + " " + e.get("actor").asString()));
        // newest first; refused calls (410, 404, 409) left no event
        assertThat(events).containsExactly("read 3 bob", "read 4 alice", "rollback 4 alice", "destroyed 1 alice",
                "read 1 alice", "deprecated 1 alice", "read 2 alice", "created 3 alice", "created 2 alice",
                "created 1 alice");
        List<Instant> times = new ArrayList<>();
        audit.get("events").forEach(e -> times.add(Instant.parse(e.get("timestamp").asString())));
        assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(audit.get("events").get(0).get("eventId").asString()).hasSize(36);
        assertThat(jdbc.queryForObject("SELECT reason FROM secret_audit_event WHERE tenant_id = ? "
                + "AND action = 'destroyed'", String.class, tenant)).isEqualTo("compromised");

        JsonNode stats = expect(alice.stats(), 200);
        assertThat(stats.get("totalSecrets").asLong()).isEqualTo(1);
        assertThat(stats.get("totalVersions").asLong()).isEqualTo(4);
        assertThat(stats.get("averageVersionsPerSecret").asDouble()).isEqualTo(4.0);
        assertThat(stats.get("byState").get("active").asLong()).isEqualTo(3);
        assertThat(stats.get("byState").get("deprecated").asLong()).isZero();
        assertThat(stats.get("byState").get("destroyed").asLong()).isEqualTo(1);
    }

    @Test
    void theComparisonHashIsBoundToTheSecretAndTheTenant() {
        alice.created("api-key", "shared-value-123");
        alice.created("api-key", "shared-value-123");
        alice.created("api-key-copy", "shared-value-123");
        alice.created("api-key-copy", "another-value");
        String hash = expect(alice.compare("api-key", 1, 2), 200).get("version1").get("hash").asString();
        JsonNode copy = expect(alice.compare("api-key-copy", 1, 2), 200);
        assertThat(copy.get("different").asBoolean()).isTrue();
        assertThat(copy.get("version1").get("hash").asString()).as("the same value in another secret")
                .isNotEqualTo(hash);

        SecretsApi otherTenant = SecretsApi.of(port, "tenant-" + UUID.randomUUID(), "carol");
        otherTenant.created("api-key", "shared-value-123");
        otherTenant.created("api-key", "shared-value-123");
        assertThat(expect(otherTenant.compare("api-key", 1, 2), 200).get("version1").get("hash").asString())
                .as("the same value and secret id in another tenant").isNotEqualTo(hash);
    }

    @Test
    void statisticsAreCountedFromTheStoreForTheCallersTenantOnly() {
        JsonNode empty = expect(alice.stats(), 200);
        assertThat(empty.get("totalSecrets").asLong()).isZero();
        assertThat(empty.get("totalVersions").asLong()).isZero();
        assertThat(empty.get("averageVersionsPerSecret").asDouble()).isZero();

        alice.created("a", "value-a1");
        alice.created("a", "value-a2");
        alice.created("b", "value-b1");
        alice.created("c", "value-c1");
        alice.created("c", "value-c2");
        alice.created("c", "value-c3");
        expect(alice.changeState("a", 1, "deprecated"), 200);
        expect(alice.changeState("c", 1, "destroyed"), 200);
        expect(alice.changeState("c", 2, "destroyed"), 200);
        SecretsApi.of(port, "tenant-" + UUID.randomUUID(), "someone").created("a", "elsewhere");

        JsonNode stats = expect(SecretsApi.of(port, tenant, "viewer", VaultScopes.READ).stats(), 200);
        assertThat(stats.get("totalSecrets").asLong()).isEqualTo(3);
        assertThat(stats.get("totalVersions").asLong()).isEqualTo(6);
        assertThat(stats.get("averageVersionsPerSecret").asDouble()).isEqualTo(2.0);
        assertThat(stats.get("byState").get("active").asLong()).isEqualTo(3);
        assertThat(stats.get("byState").get("deprecated").asLong()).isEqualTo(1);
        assertThat(stats.get("byState").get("destroyed").asLong()).isEqualTo(2);

        alice.created("d", "value-d1");
        assertThat(expect(alice.stats(), 200).get("averageVersionsPerSecret").asDouble()).isEqualTo(1.75);
    }

    @Test
    void theTenantsSecretsAreListedByIdWithTheirVersionsAndNeverAValue() {
        assertThat(expect(alice.list(""), 200).get("secrets")).isEmpty();
        alice.created("b-secret", "value-b1");
        alice.created("a-secret", "value-a1");
        alice.created("a-secret", "value-a2");
        alice.created("c-secret", "value-c1");
        expect(alice.changeState("a-secret", 1, "destroyed"), 200);
        SecretsApi.of(port, "tenant-" + UUID.randomUUID(), "someone").created("elsewhere", "other-value");

        JsonNode page = expect(SecretsApi.of(port, tenant, "viewer", VaultScopes.READ).list("?limit=2"), 200);
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("offset").asInt()).isZero();
        assertThat(page.get("secrets")).hasSize(2);
        JsonNode first = page.get("secrets").get(0);
        assertThat(first.get("secretId").asString()).isEqualTo("a-secret");
        assertThat(first.get("currentVersion").asInt()).isEqualTo(2);
        assertThat(first.get("versions").asLong()).isEqualTo(2);
        assertThat(first.propertyNames()).containsExactlyInAnyOrder("secretId", "currentVersion", "versions",
                "createdAt", "updatedAt");
        assertThat(page.get("secrets").get(1).get("secretId").asString()).isEqualTo("b-secret");
        JsonNode rest = expect(alice.list("?limit=2&offset=2"), 200);
        assertThat(rest.get("secrets")).hasSize(1);
        assertThat(rest.get("secrets").get(0).get("secretId").asString()).isEqualTo("c-secret");
        assertThat(page.toString() + rest).doesNotContain("value-");

        assertFieldRefused(alice.list("?limit=0"), "limit");
        assertFieldRefused(alice.list("?limit=101"), "limit");
        assertFieldRefused(alice.list("?offset=-1"), "offset");
        assertThat(SecretsApi.anonymous(port).get(BASE).getStatusCode().value()).isEqualTo(401);
        assertForbidden(SecretsApi.of(port, tenant, "writer", VaultScopes.WRITE).list(""), VaultScopes.READ);
    }

    @Test
    void concurrentWritersGetConsecutiveVersionNumbers() throws Exception {
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> writes = IntStream.rangeClosed(1, writers).<Callable<Integer>>mapToObj(i -> () -> {
            start.await();
            return SecretsApi.of(port, tenant, "writer-" + i).created("contended", "value-" + i);
        }).toList();
        List<Integer> versions = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            List<Future<Integer>> futures = writes.stream().map(pool::submit).toList();
            start.countDown();
            for (Future<Integer> future : futures) {
                versions.add(future.get());
            }
        }
        assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(versions(expect(alice.history("contended"), 200), v -> v.get("version").asInt()))
                .containsExactly(8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(jdbc.queryForObject("SELECT latest_version FROM versioned_secret WHERE tenant_id = ? "
                + "AND secret_id = 'contended'", Integer.class, tenant)).isEqualTo(8);
        // each version holds the value its writer sent
        for (int version = 1; version <= writers; version++) {
            String value = expect(alice.version("contended", version), 200).get("value").asString();
            String writer = expect(alice.history("contended"), 200).get("versions").get(writers - version)
                    .get("createdBy").asString();
            assertThat("writer-" + value.substring("value-".length())).isEqualTo(writer);
        }
    }

    @Test
    void secretIdsAreCheckedAgainstTheDocumentedPattern() {
        for (String good : List.of("a", "DB_password.prod-2", "x".repeat(128), "9lives")) {
            assertThat(alice.created(good, "value")).isEqualTo(1);
            assertThat(expect(alice.version(good, 1), 200).get("value").asString()).isEqualTo("value");
        }
        for (String bad : List.of("", "with/slash", "with space", "-leading-dash", ".hidden", "x".repeat(129),
                "ümlaut", "a%2Fb")) {
            assertFieldRefused(alice.write(bad, "value"), "secretId");
        }
        assertFieldRefused(alice.post(BASE, body("value", "value")), "secretId");
        // a path id that breaks the rule names nothing
        assertError(alice.get(BASE + "/.hidden/history"), 404, "SECRET_NOT_FOUND");
    }

    @Test
    void invalidRequestsAreRefusedNamingTheFieldAndWriteNothing() {
        alice.created("checked", "value-1");
        int versionsBefore = versionRows();
        int eventsBefore = eventRows();

        // create
        assertFieldRefused(alice.post(BASE, body("secretId", "checked")), "value");
        assertFieldRefused(alice.write("checked", ""), "value");
        assertFieldRefused(alice.write("checked", "x".repeat(64 * 1024 + 1)), "value");
        assertFieldRefused(alice.write("checked", "é".repeat(32 * 1024 + 1)), "value");
        assertThat(alice.created("at-the-limit", "x".repeat(64 * 1024))).isEqualTo(1);
        assertFieldRefused(alice.post(BASE, body("secretId", "checked", "value", "v", "metadata", "text")),
                "metadata");
        assertFieldRefused(alice.post(BASE, body("secretId", "checked", "value", "v", "metadata",
                Map.of("note", "n".repeat(4096)))), "metadata");
        assertFieldRefused(alice.postJson(BASE, "{\"secretId\": \"checked\", \"value\": "), "body");
        assertFieldRefused(alice.postJson(BASE, "{\"secretId\": [1], \"value\": \"v\"}"), "secretId");

        // state
        String state = BASE + "/checked/versions/1/state";
        assertFieldRefused(alice.patch(state, body("reason", "no state")), "state");
        assertFieldRefused(alice.changeState("checked", 1, "active"), "state");
        assertFieldRefused(alice.changeState("checked", 1, "shredded"), "state");
        assertFieldRefused(alice.patch(state, body("state", "deprecated", "reason", "r".repeat(1025))), "reason");
        assertFieldRefused(alice.patchJson(state, "{\"state\": deprecated}"), "body");

        // rollback
        String rollback = BASE + "/checked/rollback";
        assertFieldRefused(alice.post(rollback, body("reason", "no target")), "targetVersion");
        assertFieldRefused(alice.rollback("checked", 0), "targetVersion");
        assertFieldRefused(alice.post(rollback, body("targetVersion", "one")), "targetVersion");
        assertFieldRefused(alice.postJson(rollback, "{\"targetVersion\": 1"), "body");

        // compare
        String compare = BASE + "/checked/compare";
        assertFieldRefused(alice.post(compare, body("version2", 1)), "version1");
        assertFieldRefused(alice.compare("checked", -1, 1), "version1");
        assertFieldRefused(alice.compare("checked", 1, 0), "version2");
        assertFieldRefused(alice.postJson(compare, "not json"), "body");

        // retention
        assertFieldRefused(alice.retention("checked", body("maxVersions", 0)), "maxVersions");
        assertFieldRefused(alice.retention("checked", body("maxVersions", "three")), "maxVersions");
        assertFieldRefused(alice.retention("checked", body("deleteAfter", "30 days")), "deleteAfter");
        assertFieldRefused(alice.retention("checked", body("deleteAfter", "P1M")), "deleteAfter");
        assertFieldRefused(alice.retention("checked", body("deleteAfter", "PT0S")), "deleteAfter");
        assertFieldRefused(alice.retention("checked", body("deleteAfter", "-P1D")), "deleteAfter");
        assertFieldRefused(alice.retention("checked", body("autoDestroy", "yes")), "autoDestroy");

        assertThat(versionRows()).isEqualTo(versionsBefore + 1);
        assertThat(eventRows()).isEqualTo(eventsBefore + 1);
        assertThat(jdbc.queryForObject("SELECT max_versions IS NULL AND delete_after IS NULL FROM versioned_secret "
                + "WHERE tenant_id = ? AND secret_id = 'checked'", Boolean.class, tenant)).isTrue();
    }

    @Test
    void anotherTenantFindsNoneOfTheSecretsPaths() {
        alice.created("private", "tenant-one-value");
        alice.created("private", "tenant-one-value-2");
        SecretsApi intruder = SecretsApi.of(port, "tenant-" + UUID.randomUUID(), "mallory");
        String secret = BASE + "/private";

        List<ResponseEntity<JsonNode>> answers = List.of(
                intruder.get(secret + "/history"),
                intruder.get(secret + "/versions/1"),
                intruder.patch(secret + "/versions/1/state", body("state", "destroyed")),
                intruder.post(secret + "/rollback", body("targetVersion", 1)),
                intruder.post(secret + "/compare", body("version1", 1, "version2", 2)),
                intruder.put(secret + "/retention-policy", body("maxVersions", 1, "autoDestroy", true)),
                intruder.get(secret + "/audit"),
                intruder.post(secret + "/enforce-retention"));
        for (ResponseEntity<JsonNode> answer : answers) {
            assertError(answer, 404, "SECRET_NOT_FOUND");
        }
        // the same id is a secret of its own in the other tenant
        assertThat(intruder.created("private", "tenant-two-value")).isEqualTo(1);
        assertThat(expect(intruder.version("private", 1), 200).get("value").asString())
                .isEqualTo("tenant-two-value");

        JsonNode history = expect(alice.history("private"), 200);
        assertThat(versions(history, v -> v.get("version").asInt())).containsExactly(2, 1);
        assertThat(versions(history, v -> v.get("state").asString())).containsOnly("active");
        assertThat(expect(alice.version("private", 1), 200).get("value").asString()).isEqualTo("tenant-one-value");
        assertThat(jdbc.queryForObject("SELECT max_versions FROM versioned_secret WHERE tenant_id = ? "
                + "AND secret_id = 'private'", Integer.class, tenant)).isNull();
        assertThat(expect(alice.audit("private"), 200).get("events")).hasSize(3);
    }

    @Test
    void everyEndpointNeedsATokenAndItsScope() {
        alice.created("guarded", "value-1");
        SecretsApi nobody = SecretsApi.anonymous(port);
        String secret = BASE + "/guarded";
        List<ResponseEntity<JsonNode>> anonymous = List.of(
                nobody.post(BASE, body("secretId", "guarded", "value", "v")),
                nobody.get(secret + "/history"),
                nobody.get(secret + "/versions/1"),
                nobody.patch(secret + "/versions/1/state", body("state", "deprecated")),
                nobody.post(secret + "/rollback", body("targetVersion", 1)),
                nobody.post(secret + "/compare", body("version1", 1, "version2", 1)),
                nobody.put(secret + "/retention-policy", body("maxVersions", 1)),
                nobody.get(secret + "/audit"),
                nobody.post(secret + "/enforce-retention"),
                nobody.get(BASE + "/stats"));
        for (ResponseEntity<JsonNode> answer : anonymous) {
            assertThat(answer.getStatusCode().value()).as("%s", answer.getBody()).isEqualTo(401);
        }
        SecretsApi expired = SecretsApi.withToken(port, TestTokens.forTenant(tenant).subject("alice")
                .scopes(SecretsApi.ALL_SCOPES).expired().mint());
        assertThat(expired.version("guarded", 1).getStatusCode().value()).isEqualTo(401);

        SecretsApi reader = SecretsApi.of(port, tenant, "reader", VaultScopes.READ);
        SecretsApi writer = SecretsApi.of(port, tenant, "writer", VaultScopes.WRITE);
        SecretsApi user = SecretsApi.of(port, tenant, "user", VaultScopes.USE);
        assertForbidden(reader.write("guarded", "v"), VaultScopes.WRITE);
        assertForbidden(SecretsApi.of(port, tenant, "rw", VaultScopes.READ, VaultScopes.WRITE)
                .version("guarded", 1), VaultScopes.USE);
        assertForbidden(writer.history("guarded"), VaultScopes.READ);
        assertForbidden(user.audit("guarded"), VaultScopes.READ);
        assertForbidden(reader.changeState("guarded", 1, "destroyed"), VaultScopes.WRITE);
        assertForbidden(reader.rollback("guarded", 1), VaultScopes.WRITE);
        assertForbidden(writer.compare("guarded", 1, 1), VaultScopes.READ);
        assertForbidden(reader.retention("guarded", body("maxVersions", 1)), VaultScopes.WRITE);
        assertForbidden(reader.enforce("guarded"), VaultScopes.WRITE);
        assertForbidden(writer.stats(), VaultScopes.READ);

        // nothing changed, and the refused read is no read
        assertThat(versionRows()).isEqualTo(1);
        assertThat(expect(alice.audit("guarded"), 200).get("events")).hasSize(1);
        assertThat(expect(user.version("guarded", 1), 200).get("value").asString()).isEqualTo("value-1");
    }

    @Test
    void writesAndReadsArePlatformAuditedAndMetered() {
        alice.created("metered", "value-1");
        expect(alice.version("metered", 1), 200);
        expect(alice.history("metered"), 200);
        assertThat(outbox("audit", "action", "vault.secret_version.created")).isEqualTo(1);
        assertThat(outbox("audit", "action", "vault.secret_version.read")).isEqualTo(1);
        assertThat(outbox("audit", "action", "vault.secret_history.read")).isEqualTo(1);
        assertThat(outbox("usage", "operation", "vault.secret_version_create")).isEqualTo(1);
        assertThat(outbox("usage", "operation", "vault.secret_version_read")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT payload->>'resourceId' FROM qnsp_event_outbox WHERE stream = 'audit' "
                + "AND payload->>'tenantId' = ? AND payload->>'action' = 'vault.secret_version.created'",
                String.class, tenant)).isEqualTo("metered");
    }

    private int outbox(String stream, String field, String value) {
        return jdbc.queryForObject("SELECT count(*) FROM qnsp_event_outbox WHERE stream = ? "
                + "AND payload->>'tenantId' = ? AND payload->>? = ?", Integer.class, stream, tenant, field, value);
    }

    private static void assertForbidden(ResponseEntity<JsonNode> response, String scope) {
        assertError(response, 403, "INSUFFICIENT_SCOPE");
        assertThat(response.getBody().get("message").asString()).contains(scope);
    }

    private int versionRows() {
        return jdbc.queryForObject("SELECT count(*) FROM secret_version WHERE tenant_id = ?", Integer.class, tenant);
    }

    private int eventRows() {
        return jdbc.queryForObject("SELECT count(*) FROM secret_audit_event WHERE tenant_id = ?", Integer.class,
                tenant);
    }

    static <T> List<T> versions(JsonNode history, Function<JsonNode, T> field) {
        List<T> values = new ArrayList<>();
        history.get("versions").forEach(v -> values.add(field.apply(v)));
        return values;
    }
}
