package io.qnsp.auth.federation;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.auth.federation.FederationAuditIntegrationTests.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reports over real HTTP: requested (202), generated in the background from a known set of events, their JSON
 * summaries and CSV files carrying the right numbers, tenant isolation, validation, and recovery of reports left
 * pending by a crash.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class FederationReportIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ReportGeneration generation;

    String acme;
    String globex;
    FederationClient acmeApi;
    FederationClient globexApi;
    /** The first day of the report range; the range is d1, d2 and d3 (which has no events). */
    LocalDate d1;
    LocalDate d2;
    LocalDate d3;

    @BeforeEach
    void recordKnownEvents() {
        acme = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        globex = "globex-" + UUID.randomUUID().toString().substring(0, 8);
        acmeApi = FederationClient.readWrite(port, acme);
        globexApi = FederationClient.readWrite(port, globex);
        d1 = LocalDate.now(ZoneOffset.UTC).minusDays(10);
        d2 = d1.plusDays(1);
        d3 = d1.plusDays(2);
        Map<String, String> ip = Map.of("ip", "192.0.2.1");
        // okta
        acmeApi.recorded("login", "okta", "alice", "success", at(d1, "09:00"), ip, null);
        acmeApi.recorded("mfa_challenge", "okta", "alice", "success", at(d1, "09:01"), ip, null);
        acmeApi.recorded("login", "okta", "bob", "failure", at(d1, "10:00"), ip, null);
        acmeApi.recorded("login", "okta", "bob", "failure", at(d1, "10:05"), ip, null);
        acmeApi.recorded("login", "okta", "bob", "failure", at(d2, "08:00"), ip, null);
        acmeApi.recorded("login", "okta", "bob", "success", at(d2, "08:10"), ip, null);
        acmeApi.recorded("logout", "okta", "carol", "success", at(d2, "12:00"), null, null);
        // azure
        acmeApi.recorded("login", "azure", "dave", "success", at(d1, "11:00"), ip, null);
        acmeApi.recorded("mfa_challenge", "azure", "dave", "failure", at(d1, "11:01"), ip, null);
        acmeApi.recorded("token_refresh", "azure", "erin", "success", at(d2, "13:00"), ip, globex);
        acmeApi.recorded("login", "azure", "erin", "failure", at(d2, "14:00"), ip, null);
        // outside the range
        acmeApi.recorded("login", "okta", "alice", "failure", at(d1.minusDays(1), "23:59"), ip, null);
        acmeApi.recorded("login", "okta", "alice", "failure", at(d3.plusDays(1), "00:00"), ip, null);
        // another tenant's events in the same range never count for acme
        for (int i = 0; i < 4; i++) {
            globexApi.recorded("login", "okta", "bob", "failure", at(d1, "10:1" + i), ip, null);
        }
    }

    private static Instant at(LocalDate day, String time) {
        return Instant.parse(day + "T" + time + ":00Z");
    }

    private Map<String, Object> reportRequest(String type, String format, List<String> providers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reportType", type);
        body.put("startDate", d1.toString());
        body.put("endDate", d3.toString());
        if (format != null) {
            body.put("format", format);
        }
        if (providers != null) {
            body.put("providers", providers);
        }
        return body;
    }

    private String requested(FederationClient api, Map<String, Object> body) {
        ResponseEntity<JsonNode> accepted = api.requestReport(body);
        assertThat(accepted.getStatusCode().value()).as(String.valueOf(accepted.getBody())).isEqualTo(202);
        assertThat(accepted.getBody().get("status").asString()).isEqualTo("pending");
        String reportId = accepted.getBody().get("reportId").asString();
        assertThat(accepted.getHeaders().getLocation()).hasToString(FederationClient.BASE + "/reports/" + reportId);
        Instant estimate = Instant.parse(accepted.getBody().get("estimatedCompletionAt").asString());
        assertThat(estimate).isAfter(Instant.now().minusSeconds(60));
        return reportId;
    }

    @Test
    void anActivityReportGoesFromPendingToCompletedWithTheRightNumbers() throws Exception {
        String reportId = requested(acmeApi, reportRequest("activity", "json", null));
        JsonNode report = acmeApi.awaitReport(reportId);

        assertThat(report.get("status").asString()).isEqualTo("completed");
        assertThat(report.get("reportType").asString()).isEqualTo("activity");
        assertThat(report.get("format").asString()).isEqualTo("json");
        assertThat(Instant.parse(report.get("completedAt").asString()))
                .isAfterOrEqualTo(Instant.parse(report.get("createdAt").asString()));
        assertThat(Instant.parse(report.get("startDate").asString())).isEqualTo(at(d1, "00:00"));
        assertThat(Instant.parse(report.get("endDate").asString())).isEqualTo(at(d3.plusDays(1), "00:00"));
        assertThat(report.get("downloadUrl").asString())
                .isEqualTo(FederationClient.BASE + "/reports/" + reportId + "/download");

        JsonNode data = report.get("data");
        assertThat(data.get("reportType").asString()).isEqualTo("activity");
        assertThat(data.get("totalEvents").asLong()).isEqualTo(11);
        assertThat(data.get("successes").asLong()).isEqualTo(6);
        assertThat(data.get("failures").asLong()).isEqualTo(5);
        assertThat(data.get("distinctUsers").asLong()).isEqualTo(5);
        assertThat(data.get("crossTenantEvents").asLong()).isEqualTo(1);
        Map<String, JsonNode> providers = byKey(data.get("byProvider"), "provider");
        assertThat(providers.keySet()).containsExactly("okta", "azure");
        assertCounts(providers.get("okta"), 7, 4, 3);
        assertThat(providers.get("okta").get("distinctUsers").asLong()).isEqualTo(3);
        assertCounts(providers.get("azure"), 4, 2, 2);
        assertThat(providers.get("azure").get("distinctUsers").asLong()).isEqualTo(2);
        Map<String, JsonNode> types = byKey(data.get("byEventType"), "eventType");
        assertThat(types.keySet()).containsExactly("login", "mfa_challenge", "logout", "token_refresh");
        assertCounts(types.get("login"), 7, 3, 4);
        assertCounts(types.get("mfa_challenge"), 2, 1, 1);
        assertCounts(types.get("logout"), 1, 1, 0);
        assertCounts(types.get("token_refresh"), 1, 1, 0);
        Map<String, JsonNode> days = byKey(data.get("byDay"), "date");
        assertThat(days.keySet()).containsExactly(d1.toString(), d2.toString(), d3.toString());
        assertCounts(days.get(d1.toString()), 6, 3, 3);
        assertCounts(days.get(d2.toString()), 5, 3, 2);
        assertCounts(days.get(d3.toString()), 0, 0, 0);

        // the JSON file is the same summary
        ResponseEntity<byte[]> file = acmeApi.download(reportId);
        assertThat(file.getStatusCode().value()).isEqualTo(200);
        assertThat(file.getHeaders().getContentType().toString()).startsWith("application/json");
        assertThat(file.getHeaders().getFirst(HttpHeaders.CONTENT_DISPOSITION))
                .isEqualTo("attachment; filename=\"federation-activity-report-" + reportId + ".json\"");
        assertThat(JSON.readTree(file.getBody())).isEqualTo(data);
    }

    @Test
    void aCsvActivityReportDownloadsAsCsvWithTheSameNumbers() throws Exception {
        String reportId = requested(acmeApi, reportRequest("activity", "csv", null));
        JsonNode report = acmeApi.awaitReport(reportId);
        assertThat(report.get("status").asString()).isEqualTo("completed");
        assertThat(report.get("format").asString()).isEqualTo("csv");
        assertThat(report.get("data").get("totalEvents").asLong()).isEqualTo(11);

        ResponseEntity<byte[]> file = acmeApi.download(reportId);
        assertThat(file.getStatusCode().value()).isEqualTo(200);
        assertThat(file.getHeaders().getContentType().toString()).isEqualToIgnoringCase("text/csv;charset=UTF-8");
        assertThat(file.getHeaders().getFirst(HttpHeaders.CONTENT_DISPOSITION))
                .isEqualTo("attachment; filename=\"federation-activity-report-" + reportId + ".csv\"");
        List<List<String>> rows = parseCsv(new String(file.getBody(), StandardCharsets.UTF_8));
        assertThat(rows.getFirst()).containsExactly("section", "provider", "item", "metric", "value");
        Map<String, String> cells = cells(rows);
        assertThat(cells.get("report|||reportType")).isEqualTo("activity");
        assertThat(Instant.parse(cells.get("report|||startDate"))).isEqualTo(at(d1, "00:00"));
        assertThat(cells.get("summary|||totalEvents")).isEqualTo("11");
        assertThat(cells.get("summary|||successes")).isEqualTo("6");
        assertThat(cells.get("summary|||failures")).isEqualTo("5");
        assertThat(cells.get("summary|||distinctUsers")).isEqualTo("5");
        assertThat(cells.get("summary|||crossTenantEvents")).isEqualTo("1");
        assertThat(cells.get("provider|okta||events")).isEqualTo("7");
        assertThat(cells.get("provider|okta||failures")).isEqualTo("3");
        assertThat(cells.get("provider|azure||successes")).isEqualTo("2");
        assertThat(cells.get("eventType||login|events")).isEqualTo("7");
        assertThat(cells.get("eventType||mfa_challenge|failures")).isEqualTo("1");
        assertThat(cells.get("day||" + d1 + "|events")).isEqualTo("6");
        assertThat(cells.get("day||" + d2 + "|failures")).isEqualTo("2");
        assertThat(cells.get("day||" + d3 + "|events")).isEqualTo("0");
    }

    @Test
    void aSecurityReportFindsFailuresRatesAndRepeatedlyFailingUsers() throws Exception {
        String reportId = requested(acmeApi, reportRequest("security", "csv", null));
        JsonNode data = acmeApi.awaitReport(reportId).get("data");

        assertThat(data.get("reportType").asString()).isEqualTo("security");
        assertThat(data.get("totalEvents").asLong()).isEqualTo(11);
        assertThat(data.get("failures").asLong()).isEqualTo(5);
        assertThat(data.get("failureRate").asDouble()).isEqualTo(0.4545);
        assertThat(data.get("mfaChallengeFailures").asLong()).isEqualTo(1);
        assertThat(data.get("repeatedFailureThreshold").asInt()).isEqualTo(3);
        Map<String, JsonNode> providers = byKey(data.get("byProvider"), "provider");
        assertThat(providers.keySet()).containsExactly("okta", "azure");
        assertThat(providers.get("okta").get("failures").asLong()).isEqualTo(3);
        assertThat(providers.get("okta").get("failureRate").asDouble()).isEqualTo(0.4286);
        assertThat(providers.get("azure").get("failures").asLong()).isEqualTo(2);
        assertThat(providers.get("azure").get("failureRate").asDouble()).isEqualTo(0.5);
        Map<String, JsonNode> types = byKey(data.get("failuresByEventType"), "eventType");
        assertThat(types.keySet()).containsExactly("login", "mfa_challenge");
        assertThat(types.get("login").get("failures").asLong()).isEqualTo(4);
        // bob failed three times at okta (globex's bob, failing four times, is another tenant's user)
        assertThat(data.get("usersWithRepeatedFailuresCount").asLong()).isEqualTo(1);
        JsonNode bob = data.get("usersWithRepeatedFailures").get(0);
        assertThat(bob.get("provider").asString()).isEqualTo("okta");
        assertThat(bob.get("userId").asString()).isEqualTo("bob");
        assertThat(bob.get("failures").asLong()).isEqualTo(3);
        assertThat(Instant.parse(bob.get("lastFailureAt").asString())).isEqualTo(at(d2, "08:00"));

        Map<String, String> cells = cells(parseCsv(new String(acmeApi.download(reportId).getBody(),
                StandardCharsets.UTF_8)));
        assertThat(cells.get("summary|||failureRate")).isEqualTo("0.4545");
        assertThat(cells.get("summary|||usersWithRepeatedFailures")).isEqualTo("1");
        assertThat(cells.get("repeatedFailures|okta|bob|failures")).isEqualTo("3");
        assertThat(cells.get("provider|azure||failureRate")).isEqualTo("0.5");
    }

    @Test
    void aComplianceReportMeasuresCoverageMfaAndLoggingGaps() throws Exception {
        String reportId = requested(acmeApi, reportRequest("compliance", null,
                List.of("okta", "azure", "google")));
        JsonNode report = acmeApi.awaitReport(reportId);
        assertThat(report.get("format").asString()).as("json by default").isEqualTo("json");
        assertThat(report.get("providers").toString()).isEqualTo("[\"okta\",\"azure\",\"google\"]");
        JsonNode data = report.get("data");

        assertThat(data.get("totalEvents").asLong()).isEqualTo(11);
        assertThat(data.get("successfulLogins").asLong()).isEqualTo(3);
        assertThat(data.get("mfaChallenges").asLong()).isEqualTo(2);
        assertThat(data.get("mfaChallengeFailures").asLong()).isEqualTo(1);
        assertThat(data.get("mfaChallengesPerSuccessfulLogin").asDouble()).isEqualTo(0.6667);
        // bob (okta) and dave (azure) logged in without passing an MFA challenge; alice passed one
        assertThat(data.get("usersWithLoginWithoutMfa").asLong()).isEqualTo(2);
        assertThat(data.get("eventsWithoutMetadata").asLong()).isEqualTo(1);
        assertThat(data.get("crossTenantEvents").asLong()).isEqualTo(1);
        Map<String, JsonNode> coverage = byKey(data.get("providersWithEvents"), "provider");
        assertThat(coverage.keySet()).containsExactly("azure", "okta");
        JsonNode okta = coverage.get("okta");
        assertThat(okta.get("events").asLong()).isEqualTo(7);
        assertThat(Instant.parse(okta.get("firstEventAt").asString())).isEqualTo(at(d1, "09:00"));
        assertThat(Instant.parse(okta.get("lastEventAt").asString())).isEqualTo(at(d2, "12:00"));
        assertThat(okta.get("successfulLogins").asLong()).isEqualTo(2);
        assertThat(okta.get("mfaChallenges").asLong()).isEqualTo(1);
        assertThat(okta.get("usersWithLoginWithoutMfa").asLong()).isEqualTo(1);
        JsonNode azure = coverage.get("azure");
        assertThat(azure.get("events").asLong()).isEqualTo(4);
        assertThat(azure.get("mfaChallengeFailures").asLong()).isEqualTo(1);
        assertThat(azure.get("usersWithLoginWithoutMfa").asLong()).isEqualTo(1);
        assertThat(data.get("providersWithoutEvents").toString()).isEqualTo("[\"google\"]");
        assertThat(data.get("daysWithoutEvents").asLong()).isEqualTo(1);
        assertThat(data.get("datesWithoutEvents").toString()).isEqualTo("[\"" + d3 + "\"]");
    }

    @Test
    void aReportRestrictedToProvidersCountsOnlyThem() throws Exception {
        String reportId = requested(acmeApi, reportRequest("activity", "json", List.of("azure")));
        JsonNode data = acmeApi.awaitReport(reportId).get("data");
        assertThat(data.get("totalEvents").asLong()).isEqualTo(4);
        assertThat(byKey(data.get("byProvider"), "provider").keySet()).containsExactly("azure");
        assertThat(data.get("providers").toString()).isEqualTo("[\"azure\"]");
    }

    @Test
    void reportsAreListedNewestFirstForTheirTenantOnly() throws Exception {
        String first = requested(acmeApi, reportRequest("activity", null, null));
        String second = requested(acmeApi, reportRequest("security", "csv", null));
        acmeApi.awaitReport(first);
        acmeApi.awaitReport(second);

        JsonNode list = acmeApi.reports().getBody();
        assertThat(list.get("reports").findValuesAsString("reportId")).containsExactly(second, first);
        JsonNode newest = list.get("reports").get(0);
        assertThat(newest.get("reportType").asString()).isEqualTo("security");
        assertThat(newest.get("status").asString()).isEqualTo("completed");
        assertThat(newest.get("createdAt").isString()).isTrue();
        assertThat(newest.get("completedAt").isString()).isTrue();
        assertThat(newest.has("data")).isFalse();
        assertThat(acmeApi.get(FederationClient.BASE + "/reports?limit=1").getBody().get("reports").size())
                .isEqualTo(1);
        assertRejected(acmeApi.get(FederationClient.BASE + "/reports?limit=0"), "limit");
        assertRejected(acmeApi.get(FederationClient.BASE + "/reports?limit=201"), "limit");

        assertThat(globexApi.reports().getBody().get("reports").findValuesAsString("reportId"))
                .doesNotContain(first, second);
    }

    @Test
    void anotherTenantsReportAndItsDownloadDoNotExist() throws Exception {
        String reportId = requested(acmeApi, reportRequest("activity", "csv", null));
        assertThat(acmeApi.awaitReport(reportId).get("status").asString()).isEqualTo("completed");

        ResponseEntity<JsonNode> foreign = globexApi.report(reportId);
        assertThat(foreign.getStatusCode().value()).isEqualTo(404);
        assertThat(foreign.getBody().get("error").asString()).isEqualTo("REPORT_NOT_FOUND");
        assertThat(foreign.getBody().toString()).doesNotContain("totalEvents");
        ResponseEntity<byte[]> download = globexApi.download(reportId);
        assertThat(download.getStatusCode().value()).isEqualTo(404);
        assertThat(new String(download.getBody(), StandardCharsets.UTF_8)).doesNotContain("summary");
        // an admin of the other tenant is no exception
        assertThat(FederationClient.admin(port, globex).report(reportId).getStatusCode().value()).isEqualTo(404);

        assertThat(acmeApi.report(UUID.randomUUID().toString()).getStatusCode().value()).isEqualTo(404);
        assertThat(acmeApi.report("not-a-report-id").getStatusCode().value()).isEqualTo(404);
        assertThat(acmeApi.download(UUID.randomUUID().toString()).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void invalidReportRequestsAreRejectedNamingTheField() {
        ResponseEntity<JsonNode> pdf = acmeApi.requestReport(reportRequest("activity", "pdf", null));
        assertRejected(pdf, "format");
        assertThat(pdf.getBody().get("message").asString()).contains("json").contains("csv");
        assertThat(pdf.getBody().get("details").get("allowedValues").toString()).isEqualTo("[\"json\",\"csv\"]");
        assertRejected(acmeApi.requestReport(reportRequest("activity", "xml", null)), "format");

        ResponseEntity<JsonNode> weekly = acmeApi.requestReport(reportRequest("weekly", null, null));
        assertRejected(weekly, "reportType");
        assertThat(weekly.getBody().get("details").get("allowedValues").toString())
                .contains("compliance").contains("activity").contains("security");
        Map<String, Object> missingType = reportRequest("activity", null, null);
        missingType.remove("reportType");
        assertRejected(acmeApi.requestReport(missingType), "reportType");
        Map<String, Object> missingStart = reportRequest("activity", null, null);
        missingStart.remove("startDate");
        assertRejected(acmeApi.requestReport(missingStart), "startDate");
        Map<String, Object> missingEnd = reportRequest("activity", null, null);
        missingEnd.remove("endDate");
        assertRejected(acmeApi.requestReport(missingEnd), "endDate");
        Map<String, Object> badDate = reportRequest("activity", null, null);
        badDate.put("startDate", "01/02/2025");
        assertRejected(acmeApi.requestReport(badDate), "startDate");
        Map<String, Object> reversed = reportRequest("activity", null, null);
        reversed.put("startDate", d3.toString());
        reversed.put("endDate", d1.toString());
        assertRejected(acmeApi.requestReport(reversed), "startDate");
        Map<String, Object> tooLong = reportRequest("activity", null, null);
        tooLong.put("startDate", "2020-01-01");
        tooLong.put("endDate", "2022-01-01");
        assertRejected(acmeApi.requestReport(tooLong), "endDate");
        assertRejected(acmeApi.requestReport(reportRequest("activity", null, List.of("okta", " "))),
                "providers[1]");

        assertThat(acmeApi.reports().getBody().get("reports").size()).as("nothing was stored").isZero();
    }

    @Test
    void reportEndpointsNeedTheirScopes() {
        FederationClient reader = FederationClient.as(port, TestTokens.forTenant(acme).scopes("federation:read")
                .mint());
        FederationClient writer = FederationClient.as(port, TestTokens.forTenant(acme).scopes("federation:write")
                .mint());
        assertThat(FederationClient.anonymous(port).requestReport(reportRequest("activity", null, null))
                .getStatusCode().value()).isEqualTo(401);
        assertThat(FederationClient.anonymous(port).reports().getStatusCode().value()).isEqualTo(401);
        assertThat(reader.requestReport(reportRequest("activity", null, null)).getStatusCode().value())
                .isEqualTo(403);
        assertThat(writer.reports().getStatusCode().value()).isEqualTo(403);
        String reportId = requested(writer, reportRequest("activity", null, null));
        assertThat(writer.report(reportId).getStatusCode().value()).isEqualTo(403);
        assertThat(writer.download(reportId).getStatusCode().value()).isEqualTo(403);
        assertThat(reader.report(reportId).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void aPendingReportHasNoDataNorDownloadYet() {
        UUID id = insertReport(acme, "pending", Instant.now(), Instant.now(), 1);

        JsonNode report = acmeApi.report(id.toString()).getBody();
        assertThat(report.get("status").asString()).isEqualTo("pending");
        assertThat(report.get("data").isNull()).isTrue();
        assertThat(report.get("downloadUrl").isNull()).isTrue();
        assertThat(report.get("completedAt").isNull()).isTrue();
        ResponseEntity<byte[]> download = acmeApi.download(id.toString());
        assertThat(download.getStatusCode().value()).isEqualTo(409);
        assertThat(new String(download.getBody(), StandardCharsets.UTF_8)).contains("REPORT_NOT_READY");
    }

    @Test
    void reportsLeftPendingByACrashAreGeneratedAgainOrFailedWhenOutOfAttempts() throws Exception {
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        // claimed by an instance that died while generating it
        UUID interrupted = insertReport(acme, "pending", longAgo, longAgo, 1);
        // requested just before the instance stopped: never dispatched
        UUID undispatched = insertReport(acme, "pending", longAgo, null, 0);
        // every attempt died
        UUID exhausted = insertReport(acme, "pending", longAgo, longAgo, 3);
        // being generated right now elsewhere: left alone
        UUID busy = insertReport(acme, "pending", longAgo, Instant.now(), 1);

        generation.sweep();

        JsonNode resumed = acmeApi.awaitReport(interrupted.toString());
        assertThat(resumed.get("status").asString()).isEqualTo("completed");
        assertThat(resumed.get("data").get("totalEvents").asLong()).isEqualTo(11);
        assertThat(acmeApi.awaitReport(undispatched.toString()).get("status").asString()).isEqualTo("completed");
        assertThat(jdbc.queryForObject("SELECT attempts FROM federation_audit_report WHERE id = ?", Integer.class,
                interrupted)).isEqualTo(2);
        JsonNode failed = acmeApi.awaitReport(exhausted.toString());
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("failureReason").asString()).contains("3 attempts");
        assertThat(failed.get("data").isNull()).isTrue();
        assertThat(failed.get("downloadUrl").isNull()).isTrue();
        assertThat(acmeApi.download(exhausted.toString()).getStatusCode().value()).isEqualTo(409);
        assertThat(acmeApi.report(busy.toString()).getBody().get("status").asString()).isEqualTo("pending");
    }

    private UUID insertReport(String tenant, String status, Instant createdAt, Instant claimedAt, int attempts) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO federation_audit_report (id, tenant_id, report_type, format, status, range_start,"
                        + " range_end, created_at, claimed_at, attempts) VALUES (?, ?, 'activity', 'json', ?, ?, ?, ?,"
                        + " ?, ?)", id, tenant, status, Timestamp.from(at(d1, "00:00")),
                Timestamp.from(at(d3.plusDays(1), "00:00")), Timestamp.from(createdAt),
                claimedAt == null ? null : Timestamp.from(claimedAt), attempts);
        return id;
    }

    private static void assertCounts(JsonNode row, long events, long successes, long failures) {
        assertThat(row.get("events").asLong()).as(row.toString()).isEqualTo(events);
        assertThat(row.get("successes").asLong()).as(row.toString()).isEqualTo(successes);
        assertThat(row.get("failures").asLong()).as(row.toString()).isEqualTo(failures);
    }

    private static Map<String, JsonNode> byKey(JsonNode rows, String key) {
        Map<String, JsonNode> map = new LinkedHashMap<>();
        rows.forEach(r -> map.put(r.get(key).asString(), r));
        return map;
    }

    private static Map<String, String> cells(List<List<String>> rows) {
        Map<String, String> cells = new LinkedHashMap<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            assertThat(row).hasSize(5);
            String key = String.join("|", row.subList(0, 4));
            assertThat(cells.put(key, row.get(4))).as("duplicate row " + key).isNull();
        }
        return cells;
    }

    /** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF. */
    static List<List<String>> parseCsv(String text) {
        assertThat(text).endsWith("\r\n");
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertThat(row).isEmpty();
        return rows;
    }
}
