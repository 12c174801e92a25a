package io.qnsp.audit.retention;

import io.qnsp.audit.AuditApi;
import io.qnsp.audit.TestEvents;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retention endpoints over real HTTP: policies, preview, dry and real cleanups with their archives, metrics,
 * controls, tenant isolation and the platform operator's policies.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "qnsp.security.admin-token=" + RetentionApiIntegrationTests.ADMIN_TOKEN)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class RetentionApiIntegrationTests {

    static final String ADMIN_TOKEN = "retention-admin-token-0123456789abcdef";

    @TempDir
    static Path archiveRoot;

    @DynamicPropertySource
    static void archiveDirectory(DynamicPropertyRegistry registry) {
        registry.add("qnsp.audit.retention.archive-directory", () -> archiveRoot.toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JsonMapper json;

    Instant now;
    String tenant;
    RestClient admin;
    RestClient reader;

    @BeforeEach
    void setUp() {
        now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        tenant = "tenant-" + UUID.randomUUID();
        admin = client(TestTokens.forTenant(tenant).subject("admin-1").roles("admin").mint());
        reader = client(TestTokens.forTenant(tenant).subject("user-1").scopes("audit:retention").mint());
    }

    // ---- policies ----

    @Test
    void policiesAreCreatedListedReadAndDeleted() {
        ResponseEntity<JsonNode> created = post(admin, "/v1/retention/policies", policy("Old auth events", "P90D",
                List.of("auth.login"), List.of("auth-service"), true, "cold/auth"));

        JsonNode body = status(created, 201);
        String id = body.get("policyId").asString();
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(created.getHeaders().getLocation().getPath()).isEqualTo("/v1/retention/policies/" + id);
        assertThat(body.get("name").asString()).isEqualTo("Old auth events");
        assertThat(Instant.parse(body.get("createdAt").asString())).isBetween(now.minusSeconds(5),
                Instant.now().plusSeconds(5));
        assertThat(body.get("retentionPeriod").asString()).isEqualTo("P90D");
        assertThat(body.get("scope").toString())
                .isEqualTo("{\"eventTypes\":[\"auth.login\"],\"services\":[\"auth-service\"]}");
        assertThat(body.get("archiveConfig").toString()).isEqualTo("{\"enabled\":true,\"destination\":\"cold/auth\"}");
        assertThat(body.get("platformWide").asBoolean()).isFalse();

        JsonNode plain = status(post(admin, "/v1/retention/policies",
                Map.of("name", "Everything after a year", "retentionPeriod", "P1Y")), 201);
        assertThat(plain.get("scope").toString()).isEqualTo("{\"eventTypes\":[],\"services\":[]}");
        assertThat(plain.get("archiveConfig").toString()).isEqualTo("{\"enabled\":false,\"destination\":null}");

        JsonNode list = status(get(reader, "/v1/retention/policies"), 200);
        assertThat(list.get("total").asInt()).isEqualTo(2);
        assertThat(list.get("policies").get(0)).isEqualTo(body);
        assertThat(list.get("policies").get(1).get("name").asString()).isEqualTo("Everything after a year");
        assertThat(status(get(reader, "/v1/retention/policies/" + id), 200)).isEqualTo(body);

        JsonNode taken = error(post(admin, "/v1/retention/policies", Map.of("name", "OLD AUTH EVENTS",
                "retentionPeriod", "P30D")), 409, "CONFLICT");
        assertThat(taken.get("details").get("field").asString()).isEqualTo("name");

        assertThat(delete(admin, "/v1/retention/policies/" + id).getStatusCode().value()).isEqualTo(204);
        JsonNode gone = error(get(reader, "/v1/retention/policies/" + id), 404, "NOT_FOUND");
        assertThat(gone.get("details").get("field").asString()).isEqualTo("policyId");
        error(delete(admin, "/v1/retention/policies/" + id), 404, "NOT_FOUND");
        error(get(reader, "/v1/retention/policies/not-a-policy-id"), 404, "NOT_FOUND");
        assertThat(status(get(reader, "/v1/retention/policies"), 200).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void periodsInCalendarOrTimeUnitsSetTheCutoff() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("P90D", "P90D");
        expected.put("P1Y", "P1Y");
        expected.put("P6M", "P6M");
        expected.put("PT720H", "PT720H");
        expected.put("P2W", "P2W");
        expected.put(" p30d ", "P30D");
        expected.put("P1DT12H", "P1DT12H");
        for (Map.Entry<String, String> period : expected.entrySet()) {
            JsonNode created = status(post(admin, "/v1/retention/policies",
                    Map.of("name", "period " + period.getValue(), "retentionPeriod", period.getKey())), 201);
            assertThat(created.get("retentionPeriod").asString()).isEqualTo(period.getValue());
        }

        assertThat(cutoffOf("P6M", "P6M")).isBetween(monthsAgo(now, 6), monthsAgo(Instant.now(), 6));
        assertThat(cutoffOf("P1Y", "P1Y")).isBetween(monthsAgo(now, 12), monthsAgo(Instant.now(), 12));
        assertThat(cutoffOf("PT720H", "PT720H")).isBetween(now.minus(Duration.ofHours(720)),
                Instant.now().minus(Duration.ofHours(720)));
        assertThat(cutoffOf("P2W", "P2W")).isBetween(now.minus(Duration.ofDays(14)),
                Instant.now().minus(Duration.ofDays(14)));
    }

    @Test
    void invalidPoliciesAreRefusedNamingTheField() {
        validation(post(admin, "/v1/retention/policies", Map.of("retentionPeriod", "P90D")), "name");
        validation(post(admin, "/v1/retention/policies", Map.of("name", "  ", "retentionPeriod", "P90D")), "name");
        validation(post(admin, "/v1/retention/policies", Map.of("name", "n".repeat(201), "retentionPeriod", "P1D")),
                "name");
        validation(post(admin, "/v1/retention/policies", Map.of("name", "p")), "retentionPeriod");
        // shorter than qnsp.audit.retention.min-retention-period (1 day): the audit trail cannot be wiped at once
        JsonNode tooShort = error(post(admin, "/v1/retention/policies", Map.of("name", "p",
                "retentionPeriod", "PT23H")), 400, "BAD_REQUEST");
        assertThat(tooShort.get("details").get("field").asString()).isEqualTo("retentionPeriod");
        assertThat(tooShort.get("details").get("minRetentionPeriod").asString()).isEqualTo("PT24H");
        for (String period : List.of("90 days", "P", "PT", "P0D", "PT0S", "-P1D", "PT-1H", "P1Y-2M", "P1Y2DT3H",
                "P200Y", "P99999999999Y", "PT1000000H", "ninety", "P90")) {
            validation(post(admin, "/v1/retention/policies", Map.of("name", "p", "retentionPeriod", period)),
                    "retentionPeriod");
        }
        validation(post(admin, "/v1/retention/policies", Map.of("name", "p", "retentionPeriod", "P1D",
                "scope", Map.of("eventTypes", List.of("ok", " ")))), "scope.eventTypes[1]");
        validation(post(admin, "/v1/retention/policies", Map.of("name", "p", "retentionPeriod", "P1D",
                "scope", Map.of("services", List.of("s".repeat(201))))), "scope.services[0]");
        validation(post(admin, "/v1/retention/policies", Map.of("name", "p", "retentionPeriod", "P1D",
                "scope", "everything")), "scope");
        validation(post(admin, "/v1/retention/policies", Map.of("name", "p", "retentionPeriod", "P1D",
                "archiveConfig", Map.of("enabled", true))), "archiveConfig.destination");
        for (String destination : List.of("../escape", "/etc", "a/../../b", "a//b", "a/", ".", "..", "a\\b", "~x",
                "a/b/..", "a b", "a.b", "d".repeat(101), "x/".repeat(100) + "x")) {
            validation(post(admin, "/v1/retention/policies", Map.of("name", "p", "retentionPeriod", "P1D",
                    "archiveConfig", Map.of("enabled", true, "destination", destination))),
                    "archiveConfig.destination");
        }
        validation(rawPost(admin, "/v1/retention/policies", "{not json"), "body");

        assertThat(status(get(reader, "/v1/retention/policies"), 200).get("total").asInt()).isZero();
    }

    // ---- preview ----

    @Test
    void previewCountsWhatThePolicyWouldRemoveNow() {
        UUID old200 = insert(tenant, days(200), "auth.login", "auth-service");
        UUID old120 = insert(tenant, days(120), "auth.login", "kms-service");
        UUID old100 = insert(tenant, days(100), "auth.logout", "auth-service");
        insert(tenant, days(40), "auth.login", "auth-service");
        insert(tenant, days(1), "auth.login", "auth-service");
        insert("other-" + UUID.randomUUID(), days(300), "auth.login", "auth-service");

        String all = createPolicy("all", "P90D", List.of(), List.of(), false, null);
        JsonNode preview = status(post(reader, "/v1/retention/preview", Map.of("policyId", all)), 200);

        assertThat(preview.get("policyId").asString()).isEqualTo(all);
        assertThat(preview.get("eventsAffected").asLong()).isEqualTo(3);
        assertThat(Instant.parse(preview.get("oldestEventDate").asString())).isEqualTo(now.minus(days(200)));
        assertThat(Instant.parse(preview.get("newestEventDate").asString())).isEqualTo(now.minus(days(100)));
        assertThat(preview.get("sizeBytes").asLong()).isPositive().isEqualTo(sizeOf(old200, old120, old100));

        String logins = createPolicy("logins", "P90D", List.of("auth.login"), List.of(), false, null);
        JsonNode byType = status(post(reader, "/v1/retention/preview", Map.of("policyId", logins)), 200);
        assertThat(byType.get("eventsAffected").asLong()).isEqualTo(2);
        assertThat(byType.get("sizeBytes").asLong()).isEqualTo(sizeOf(old200, old120));

        String authLogins = createPolicy("auth logins", "P90D", List.of("auth.login"), List.of("auth-service"),
                false, null);
        JsonNode byBoth = status(post(reader, "/v1/retention/preview", Map.of("policyId", authLogins)), 200);
        assertThat(byBoth.get("eventsAffected").asLong()).isEqualTo(1);
        assertThat(byBoth.get("newestEventDate").asString()).isEqualTo(byBoth.get("oldestEventDate").asString());

        String year = createPolicy("year", "P1Y", List.of(), List.of(), false, null);
        JsonNode none = status(post(reader, "/v1/retention/preview", Map.of("policyId", year)), 200);
        assertThat(none.get("eventsAffected").asLong()).isZero();
        assertThat(none.get("oldestEventDate").isNull()).isTrue();
        assertThat(none.get("newestEventDate").isNull()).isTrue();
        assertThat(none.get("sizeBytes").asLong()).isZero();

        JsonNode unknown = error(post(reader, "/v1/retention/preview",
                Map.of("policyId", UUID.randomUUID().toString())), 404, "NOT_FOUND");
        assertThat(unknown.get("details").get("field").asString()).isEqualTo("policyId");
        validation(post(reader, "/v1/retention/preview", Map.of()), "policyId");
    }

    // ---- cleanup ----

    @Test
    void aDryRunReportsWithoutChangingAnything() {
        UUID old200 = insert(tenant, days(200), "auth.login", "auth-service");
        UUID old120 = insert(tenant, days(120), "auth.login", "auth-service");
        insert(tenant, days(10), "auth.login", "auth-service");
        String policyId = createPolicy("dry", "P90D", List.of(), List.of(), true, "cold");
        long before = eventsOf(tenant);

        JsonNode report = status(post(admin, "/v1/retention/cleanup", Map.of("policyId", policyId, "dryRun", true)),
                200);

        assertThat(UUID.fromString(report.get("executionId").asString())).isNotNull();
        assertThat(report.get("policyId").asString()).isEqualTo(policyId);
        assertThat(report.get("eventsProcessed").asLong()).isEqualTo(2);
        assertThat(report.get("eventsDeleted").asLong()).isEqualTo(2);
        assertThat(report.get("eventsArchived").asLong()).isEqualTo(2);
        assertThat(report.get("dryRun").asBoolean()).isTrue();
        assertThat(report.get("bytesReclaimed").asLong()).isEqualTo(sizeOf(old200, old120));
        assertThat(report.get("archiveFile").isNull()).isTrue();
        assertThat(eventsOf(tenant)).isGreaterThanOrEqualTo(before);
        assertThat(existing(old200, old120)).containsExactlyInAnyOrder(old200, old120);
        assertThat(Files.exists(archiveRoot.resolve(tenant))).isFalse();
        assertThat(savings(reader)).isEqualTo("{\"eventsDeleted\":0,\"bytesReclaimed\":0}");
        assertThat(count("SELECT count(*) FROM retention_execution WHERE policy_id = ?::uuid AND dry_run",
                policyId)).isEqualTo(1);

        validation(post(admin, "/v1/retention/cleanup", Map.of("policyId", policyId)), "dryRun");
        validation(post(admin, "/v1/retention/cleanup", Map.of("dryRun", true)), "policyId");
        validation(post(admin, "/v1/retention/cleanup", Map.of("policyId", policyId, "dryRun", "perhaps")),
                "dryRun");
        error(post(admin, "/v1/retention/cleanup", Map.of("policyId", UUID.randomUUID().toString(),
                "dryRun", false)), 404, "NOT_FOUND");
        assertThat(existing(old200, old120)).hasSize(2);
    }

    @Test
    void aCleanupArchivesThenDeletesExactlyWhatThePreviewCounted() throws IOException {
        UUID old200 = insert(tenant, days(200), "auth.login", "auth-service");
        UUID old120 = insert(tenant, days(120), "auth.login", "kms-service");
        UUID oldLogout = insert(tenant, days(150), "auth.logout", "auth-service");
        UUID recent = insert(tenant, days(40), "auth.login", "auth-service");
        String other = "other-" + UUID.randomUUID();
        UUID othersOld = insert(other, days(300), "auth.login", "auth-service");
        String policyId = createPolicy("logins", "P90D", List.of("auth.login"), List.of(), true, "cold/auth");
        JsonNode preview = status(post(reader, "/v1/retention/preview", Map.of("policyId", policyId)), 200);
        long size = sizeOf(old200, old120);

        JsonNode report = status(post(admin, "/v1/retention/cleanup", Map.of("policyId", policyId, "dryRun", false)),
                200);

        String executionId = report.get("executionId").asString();
        assertThat(report.get("eventsProcessed").asLong()).isEqualTo(preview.get("eventsAffected").asLong())
                .isEqualTo(2);
        assertThat(report.get("eventsDeleted").asLong()).isEqualTo(2);
        assertThat(report.get("eventsArchived").asLong()).isEqualTo(2);
        assertThat(report.get("dryRun").asBoolean()).isFalse();
        assertThat(report.get("bytesReclaimed").asLong()).isEqualTo(preview.get("sizeBytes").asLong())
                .isEqualTo(size);
        assertThat(report.get("archiveFile").asString())
                .isEqualTo(tenant + "/cold/auth/" + executionId + ".jsonl.gz");
        assertThat(existing(old200, old120, oldLogout, recent, othersOld))
                .containsExactlyInAnyOrder(oldLogout, recent, othersOld);

        Path archive = archiveRoot.resolve(tenant).resolve("cold").resolve("auth").resolve(executionId + ".jsonl.gz");
        List<JsonNode> lines = archived(archive);
        assertThat(lines).extracting(line -> line.get("eventId").asString())
                .containsExactly(old200.toString(), old120.toString());
        JsonNode first = lines.getFirst();
        assertThat(first.get("tenantId").asString()).isEqualTo(tenant);
        assertThat(first.get("action").asString()).isEqualTo("auth.login");
        assertThat(first.get("service").asString()).isEqualTo("auth-service");
        assertThat(Instant.parse(first.get("occurredAt").asString())).isEqualTo(now.minus(days(200)));
        assertThat(first.get("details").toString()).isEqualTo("{\"note\":\"" + old200 + "\"}");
        assertThat(first.propertyNames()).contains("actor", "resourceType", "resourceId", "outcome", "requestId",
                "receivedAt");
        try (Stream<Path> files = Files.list(archive.getParent())) {
            assertThat(files).containsExactly(archive);
        }

        assertThat(savings(reader)).isEqualTo("{\"eventsDeleted\":2,\"bytesReclaimed\":" + size + "}");
        RestClient otherReader = client(TestTokens.forTenant(other).scopes("audit:retention").mint());
        assertThat(savings(otherReader)).isEqualTo("{\"eventsDeleted\":0,\"bytesReclaimed\":0}");

        JsonNode again = status(post(admin, "/v1/retention/cleanup", Map.of("policyId", policyId, "dryRun", false)),
                200);
        assertThat(again.get("eventsDeleted").asLong()).isZero();
        assertThat(again.get("eventsArchived").asLong()).isZero();
        assertThat(again.get("archiveFile").isNull()).isTrue();
        assertThat(savings(reader)).isEqualTo("{\"eventsDeleted\":2,\"bytesReclaimed\":" + size + "}");
        assertThat(count("SELECT count(*) FROM retention_execution WHERE policy_id = ?::uuid AND NOT dry_run",
                policyId)).isEqualTo(2);

        // the controls wrote both runs to the audit stream, which this service itself ingests
        TestEvents.await(() -> count("SELECT count(*) FROM audit_event WHERE tenant_id = ? AND action = ? AND "
                        + "resource_id = ? AND outcome = 'success'", tenant, "audit.retention.cleanup", policyId) == 2,
                "the cleanup's audit events");
        assertThat(count("SELECT count(*) FROM qnsp_event_outbox WHERE stream = 'usage' AND payload->>'tenantId' = ?"
                + " AND payload->>'operation' = 'audit.retention_cleanup'", tenant)).isEqualTo(2);
    }

    @Test
    void withoutArchivingACleanupOnlyDeletes() {
        UUID old = insert(tenant, days(100), "auth.login", "auth-service");
        UUID recent = insert(tenant, days(10), "auth.login", "auth-service");
        String policyId = createPolicy("plain", "PT720H", List.of(), List.of(), false, null);

        JsonNode report = status(post(admin, "/v1/retention/cleanup", Map.of("policyId", policyId, "dryRun", false)),
                200);

        assertThat(report.get("eventsDeleted").asLong()).isEqualTo(1);
        assertThat(report.get("eventsArchived").asLong()).isZero();
        assertThat(report.get("archiveFile").isNull()).isTrue();
        assertThat(existing(old, recent)).containsExactly(recent);
        assertThat(Files.exists(archiveRoot.resolve(tenant))).isFalse();
    }

    @Test
    void whenTheArchiveCannotBeWrittenNothingIsDeleted() throws IOException {
        UUID old200 = insert(tenant, days(200), "auth.login", "auth-service");
        UUID old100 = insert(tenant, days(100), "auth.login", "auth-service");
        Path tenantDirectory = Files.createDirectories(archiveRoot.resolve(tenant));
        Path blocker = Files.writeString(tenantDirectory.resolve("blocked"), "a file where a directory must go");
        String policyId = createPolicy("blocked", "P90D", List.of(), List.of(), true, "blocked/deeper");

        JsonNode failure = error(post(admin, "/v1/retention/cleanup", Map.of("policyId", policyId,
                "dryRun", false)), 503, "SERVICE_UNAVAILABLE");

        assertThat(failure.get("message").asString()).contains("no event was deleted");
        assertThat(failure.get("details").get("archive").asString()).isEqualTo("unavailable");
        assertThat(existing(old200, old100)).containsExactlyInAnyOrder(old200, old100);
        assertThat(count("SELECT count(*) FROM retention_execution WHERE policy_id = ?::uuid", policyId)).isZero();
        assertThat(savings(reader)).isEqualTo("{\"eventsDeleted\":0,\"bytesReclaimed\":0}");
        try (Stream<Path> files = Files.list(tenantDirectory)) {
            assertThat(files).containsExactly(blocker);
        }

        Files.delete(blocker);
        JsonNode retried = status(post(admin, "/v1/retention/cleanup", Map.of("policyId", policyId,
                "dryRun", false)), 200);
        assertThat(retried.get("eventsDeleted").asLong()).isEqualTo(2);
        assertThat(archived(archiveRoot.resolve(retried.get("archiveFile").asString())))
                .extracting(line -> line.get("eventId").asString())
                .containsExactly(old200.toString(), old100.toString());
        assertThat(existing(old200, old100)).isEmpty();
    }

    @Test
    void aTenantIdUnfitForADirectoryNameIsHashedAndStaysInsideTheArchive() throws Exception {
        String odd = "Acme/../../escape-" + UUID.randomUUID();
        RestClient oddAdmin = client(TestTokens.forTenant(odd).roles("admin").mint());
        UUID old = insert(odd, days(100), "auth.login", "auth-service");
        String policyId = status(post(oddAdmin, "/v1/retention/policies", policy("odd", "P90D", List.of(), List.of(),
                true, "x")), 201).get("policyId").asString();

        JsonNode report = status(post(oddAdmin, "/v1/retention/cleanup", Map.of("policyId", policyId,
                "dryRun", false)), 200);

        String hashed = "~" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(odd.getBytes(StandardCharsets.UTF_8)));
        String file = report.get("archiveFile").asString();
        assertThat(file).isEqualTo(hashed + "/x/" + report.get("executionId").asString() + ".jsonl.gz");
        assertThat(archived(archiveRoot.resolve(file))).extracting(line -> line.get("eventId").asString())
                .containsExactly(old.toString());
        try (Stream<Path> siblings = Files.list(archiveRoot.toAbsolutePath().getParent())) {
            assertThat(siblings).noneMatch(path -> path.getFileName().toString().startsWith("escape"));
        }
    }

    // ---- metrics ----

    @Test
    void metricsCountTheTenantsEventsInDisjointAgeBuckets() {
        List<UUID> ids = new ArrayList<>();
        for (Duration age : List.of(days(1), days(6), Duration.ofHours(-1), days(8), days(29), days(31), days(89),
                days(91), days(400))) {
            ids.add(insert(tenant, age, "auth.login", "auth-service"));
        }
        insert("other-" + UUID.randomUUID(), days(1), "auth.login", "auth-service");

        JsonNode metrics = status(get(reader, "/v1/retention/metrics"), 200);

        assertThat(metrics.get("totalEvents").asLong()).isEqualTo(9);
        assertThat(metrics.get("totalSizeBytes").asLong()).isEqualTo(sizeOf(ids.toArray(UUID[]::new)));
        assertThat(metrics.get("byAge").toString())
                .isEqualTo("{\"last7Days\":3,\"last30Days\":2,\"last90Days\":2,\"older\":2}");
        assertThat(metrics.get("retentionSavings").toString()).isEqualTo("{\"eventsDeleted\":0,\"bytesReclaimed\":0}");
        assertThat(metrics.propertyNames()).containsExactly("totalEvents", "totalSizeBytes", "byAge",
                "retentionSavings");
    }

    // ---- tenants, controls, the platform ----

    @Test
    void anotherTenantNeitherSeesNorUsesThePolicy() {
        UUID old = insert(tenant, days(200), "auth.login", "auth-service");
        String policyId = createPolicy("mine", "P90D", List.of(), List.of(), true, "cold");
        String stranger = "tenant-" + UUID.randomUUID();
        UUID strangersOld = insert(stranger, days(200), "auth.login", "auth-service");
        RestClient strangerAdmin = client(TestTokens.forTenant(stranger).subject("admin-2").roles("admin").mint());

        JsonNode metrics = status(get(strangerAdmin, "/v1/retention/metrics"), 200);
        assertThat(metrics.get("totalEvents").asLong()).isEqualTo(1);
        assertThat(metrics.get("totalSizeBytes").asLong()).isEqualTo(sizeOf(strangersOld));
        assertThat(status(get(strangerAdmin, "/v1/retention/policies"), 200).get("total").asInt()).isZero();
        error(get(strangerAdmin, "/v1/retention/policies/" + policyId), 404, "NOT_FOUND");
        error(post(strangerAdmin, "/v1/retention/preview", Map.of("policyId", policyId)), 404, "NOT_FOUND");
        error(post(strangerAdmin, "/v1/retention/cleanup", Map.of("policyId", policyId, "dryRun", false)), 404,
                "NOT_FOUND");
        error(delete(strangerAdmin, "/v1/retention/policies/" + policyId), 404, "NOT_FOUND");

        assertThat(existing(old, strangersOld)).containsExactlyInAnyOrder(old, strangersOld);
        assertThat(status(get(reader, "/v1/retention/policies/" + policyId), 200).get("name").asString())
                .isEqualTo("mine");

        // the owner's cleanup leaves the other tenant's equally old event alone
        status(post(admin, "/v1/retention/cleanup", Map.of("policyId", policyId, "dryRun", false)), 200);
        assertThat(existing(old, strangersOld)).containsExactly(strangersOld);
        assertThat(Files.exists(archiveRoot.resolve(stranger))).isFalse();
    }

    @Test
    void controlsGuardEveryEndpoint() {
        String policyId = createPolicy("guarded", "P90D", List.of(), List.of(), false, null);
        RestClient anonymous = client(null);
        RestClient otherScope = client(TestTokens.forTenant(tenant).scopes("read:requests").mint());
        RestClient scopeAdmin = client(TestTokens.forTenant(tenant).scopes("admin").mint());
        Map<String, Object> cleanup = Map.of("policyId", policyId, "dryRun", true);
        Map<String, Object> preview = Map.of("policyId", policyId);
        Map<String, Object> create = Map.of("name", "new", "retentionPeriod", "P1D");

        for (ResponseEntity<JsonNode> response : List.of(post(anonymous, "/v1/retention/policies", create),
                get(anonymous, "/v1/retention/policies"), get(anonymous, "/v1/retention/policies/" + policyId),
                delete(anonymous, "/v1/retention/policies/" + policyId),
                post(anonymous, "/v1/retention/preview", preview), post(anonymous, "/v1/retention/cleanup", cleanup),
                get(anonymous, "/v1/retention/metrics"))) {
            error(response, 401, "UNAUTHORIZED");
        }
        for (ResponseEntity<JsonNode> response : List.of(get(otherScope, "/v1/retention/policies"),
                get(otherScope, "/v1/retention/policies/" + policyId),
                post(otherScope, "/v1/retention/preview", preview), get(otherScope, "/v1/retention/metrics"))) {
            error(response, 403, "INSUFFICIENT_SCOPE");
        }
        // the scope without the admin role may read and preview, not create, delete or clean up
        for (RestClient notAdmin : List.of(otherScope, reader, scopeAdmin)) {
            error(post(notAdmin, "/v1/retention/policies", create), 403, "FORBIDDEN");
            error(delete(notAdmin, "/v1/retention/policies/" + policyId), 403, "FORBIDDEN");
            error(post(notAdmin, "/v1/retention/cleanup", cleanup), 403, "FORBIDDEN");
        }
        status(get(reader, "/v1/retention/policies/" + policyId), 200);
        status(post(reader, "/v1/retention/preview", preview), 200);
        status(get(reader, "/v1/retention/metrics"), 200);
        status(get(scopeAdmin, "/v1/retention/metrics"), 200);
        // the admin role holds the scope
        status(post(admin, "/v1/retention/cleanup", cleanup), 200);
        assertThat(status(get(admin, "/v1/retention/policies"), 200).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void thePlatformAdminTokenCoversEveryTenantButATenantlessJwtCoversNone() throws IOException {
        String service = "svc-" + UUID.randomUUID();
        String other = "tenant-" + UUID.randomUUID();
        UUID mine = insert(tenant, days(200), "auth.login", service);
        UUID others = insert(other, days(150), "auth.login", service);
        UUID nobodys = insert(null, days(100), "auth.login", service);
        UUID recent = insert(tenant, days(10), "auth.login", service);
        UUID elsewhere = insert(tenant, days(200), "auth.login", "another-service");
        RestClient platform = adminTokenClient();
        String tenantPolicy = createPolicy("tenant's", "P90D", List.of(), List.of(), false, null);

        JsonNode created = status(post(platform, "/v1/retention/policies", policy("platform", "P90D", List.of(),
                List.of(service), true, "platform-archive")), 201);
        String platformPolicy = created.get("policyId").asString();
        assertThat(created.get("platformWide").asBoolean()).isTrue();

        // each owner sees only its own policies
        error(get(admin, "/v1/retention/policies/" + platformPolicy), 404, "NOT_FOUND");
        error(post(admin, "/v1/retention/cleanup", Map.of("policyId", platformPolicy, "dryRun", false)), 404,
                "NOT_FOUND");
        error(get(platform, "/v1/retention/policies/" + tenantPolicy), 404, "NOT_FOUND");
        assertThat(status(get(platform, "/v1/retention/policies"), 200).get("policies"))
                .extracting(policy -> policy.get("policyId").asString()).containsExactly(platformPolicy);

        JsonNode preview = status(post(platform, "/v1/retention/preview", Map.of("policyId", platformPolicy)), 200);
        assertThat(preview.get("eventsAffected").asLong()).isEqualTo(3);
        assertThat(preview.get("sizeBytes").asLong()).isEqualTo(sizeOf(mine, others, nobodys));
        long mySize = sizeOf(mine);
        long othersSize = sizeOf(others);

        JsonNode report = status(post(platform, "/v1/retention/cleanup", Map.of("policyId", platformPolicy,
                "dryRun", false)), 200);

        assertThat(report.get("eventsDeleted").asLong()).isEqualTo(3);
        assertThat(existing(mine, others, nobodys, recent, elsewhere)).containsExactlyInAnyOrder(recent, elsewhere);
        String file = report.get("archiveFile").asString();
        assertThat(file).startsWith("~platform/platform-archive/");
        List<JsonNode> lines = archived(archiveRoot.resolve(file));
        assertThat(lines).extracting(line -> line.get("eventId").asString())
                .containsExactly(mine.toString(), others.toString(), nobodys.toString());
        assertThat(lines.get(2).get("tenantId").isNull()).isTrue();

        // each tenant sees its share of the savings; the platform sees them all
        assertThat(savings(reader)).isEqualTo("{\"eventsDeleted\":1,\"bytesReclaimed\":" + mySize + "}");
        assertThat(savings(client(TestTokens.forTenant(other).scopes("audit:retention").mint())))
                .isEqualTo("{\"eventsDeleted\":1,\"bytesReclaimed\":" + othersSize + "}");
        JsonNode platformMetrics = status(get(platform, "/v1/retention/metrics"), 200);
        assertThat(platformMetrics.get("retentionSavings").get("eventsDeleted").asLong())
                .isEqualTo(count("SELECT coalesce(sum(events_deleted), 0) FROM retention_reclaimed"));
        assertThat(platformMetrics.get("totalEvents").asLong()).isGreaterThanOrEqualTo(2);

        // a JWT without a tenant is no platform operator, even with the admin role and the admin token's name
        RestClient tenantless = client(TestTokens.withoutTenant().subject("admin-token").roles("admin").mint());
        error(post(tenantless, "/v1/retention/policies", Map.of("name", "all", "retentionPeriod", "P1D")), 403,
                "FORBIDDEN");
        error(get(tenantless, "/v1/retention/metrics"), 403, "FORBIDDEN");
        error(post(tenantless, "/v1/retention/cleanup", Map.of("policyId", platformPolicy, "dryRun", false)), 403,
                "FORBIDDEN");
        error(get(tenantless, "/v1/retention/policies"), 403, "FORBIDDEN");
    }

    // ---- fixtures ----

    private static Duration days(int days) {
        return Duration.ofDays(days);
    }

    private static Instant monthsAgo(Instant instant, int months) {
        return instant.atZone(ZoneOffset.UTC).minus(Period.ofMonths(months)).toInstant();
    }

    private Instant cutoffOf(String name, String period) {
        String policyId = status(get(reader, "/v1/retention/policies"), 200).get("policies").valueStream()
                .filter(policy -> policy.get("name").asString().equals("period " + name)).findFirst().orElseThrow()
                .get("policyId").asString();
        assertThat(period).isNotBlank();
        return Instant.parse(status(post(reader, "/v1/retention/preview", Map.of("policyId", policyId)), 200)
                .get("cutoff").asString());
    }

    /** Stores an event the way ingestion does, aged by {@code age} before the test's start. */
    private UUID insert(String tenantId, Duration age, String action, String service) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO audit_event (event_id, tenant_id, occurred_at, actor, action, resource_type, "
                        + "resource_id, outcome, request_id, service, details) "
                        + "VALUES (?, ?, ?, 'user-1', ?, 'api_key', 'key_1', 'success', 'rid-1', ?, ?::jsonb)",
                id, tenantId, Timestamp.from(now.minus(age)), action, service, "{\"note\":\"" + id + "\"}");
        return id;
    }

    private long sizeOf(UUID... ids) {
        return count("SELECT coalesce(sum(pg_column_size(e.*)), 0) FROM audit_event e WHERE event_id IN ("
                + String.join(", ", java.util.Collections.nCopies(ids.length, "?")) + ")", (Object[]) ids);
    }

    private List<UUID> existing(UUID... ids) {
        return jdbc.queryForList("SELECT event_id FROM audit_event WHERE event_id IN ("
                + String.join(", ", java.util.Collections.nCopies(ids.length, "?")) + ")", UUID.class,
                (Object[]) ids);
    }

    private long eventsOf(String tenantId) {
        return count("SELECT count(*) FROM audit_event WHERE tenant_id = ?", tenantId);
    }

    private long count(String sql, Object... args) {
        Long count = jdbc.queryForObject(sql, Long.class, args);
        return count == null ? 0 : count;
    }

    private String createPolicy(String name, String period, List<String> eventTypes, List<String> services,
                                boolean archive, String destination) {
        return status(post(admin, "/v1/retention/policies", policy(name, period, eventTypes, services, archive,
                destination)), 201).get("policyId").asString();
    }

    private static Map<String, Object> policy(String name, String period, List<String> eventTypes,
                                              List<String> services, boolean archive, String destination) {
        Map<String, Object> archiveConfig = new LinkedHashMap<>();
        archiveConfig.put("enabled", archive);
        archiveConfig.put("destination", destination);
        return Map.of("name", name, "retentionPeriod", period,
                "scope", Map.of("eventTypes", eventTypes, "services", services), "archiveConfig", archiveConfig);
    }

    private String savings(RestClient client) {
        return status(get(client, "/v1/retention/metrics"), 200).get("retentionSavings").toString();
    }

    /** The archive's JSON lines, after checking it is gzip. */
    private List<JsonNode> archived(Path file) throws IOException {
        assertThat(file).isRegularFile();
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes[0] & 0xff).isEqualTo(0x1f);
        assertThat(bytes[1] & 0xff).isEqualTo(0x8b);
        List<JsonNode> lines = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file));
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(json.readTree(line));
            }
        }
        return lines;
    }

    private RestClient client(String token) {
        return AuditApi.client(port, token).build();
    }

    private RestClient adminTokenClient() {
        return AuditApi.client(port, null).defaultHeader("X-Admin-Token", ADMIN_TOKEN).build();
    }

    private static ResponseEntity<JsonNode> get(RestClient client, String uri) {
        return client.get().uri(uri).retrieve().toEntity(JsonNode.class);
    }

    private static ResponseEntity<JsonNode> delete(RestClient client, String uri) {
        return client.delete().uri(uri).retrieve().toEntity(JsonNode.class);
    }

    private static ResponseEntity<JsonNode> post(RestClient client, String uri, Object body) {
        return client.post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    private static ResponseEntity<JsonNode> rawPost(RestClient client, String uri, String body) {
        return client.post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    private static JsonNode status(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        return response.getBody();
    }

    /** A qnsp-family error body with every field of spec 002's error format. */
    private static JsonNode error(ResponseEntity<JsonNode> response, int status, String code) {
        JsonNode body = status(response, status);
        assertThat(body.propertyNames()).containsExactly("statusCode", "error", "message", "details", "requestId",
                "timestamp");
        assertThat(body.get("statusCode").asInt()).isEqualTo(status);
        assertThat(body.get("error").asString()).as("%s", body).isEqualTo(code);
        assertThat(body.get("requestId").asString()).isEqualTo(response.getHeaders().getFirst("X-Request-Id"));
        return body;
    }

    private static void validation(ResponseEntity<JsonNode> response, String field) {
        JsonNode error = error(response, 400, "BAD_REQUEST");
        assertThat(error.get("details").get("field").asString()).as("%s", error).isEqualTo(field);
    }
}
