package io.qnsp.platform;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drill: {@code kill -9} of every service of the platform, the gateway included, while clients write through the
 * gateway. The platform runs as compose and Kubernetes run it, every service a process of its own that is started
 * again when it stops (the launcher does it here). For each service the drill counts, and asserts on the counts:
 * <ul>
 *   <li>every answer while the service is away is a 503 in its API family's format, never a 500, a hang past the
 *       client's timeout or a stack trace; while the gateway itself is away, connections are refused;</li>
 *   <li>the service comes back by itself and writes succeed again;</li>
 *   <li>no acknowledged write is lost: every write answered 2xx, before or after the kill, is read back;</li>
 *   <li>the audit event of every acknowledged write is stored exactly once, and where the write is metered the
 *       tenant's invoice grew by exactly the number of acknowledged writes.</li>
 * </ul>
 * The services are killed in waves: the services of a wave at about the same moment, each with a writer of its own,
 * so that their restarts overlap. No wave holds a service together with one its write depends on (kms-service and
 * the services that encrypt through it), auth-service is killed with no other service that checks tokens (a started
 * service fetches auth-service's signing keys on its first request), and the gateway on its own. Load is bounded:
 * one request at a time per writer at a fixed pace, the writers with the operator's token together under the
 * gateway's limit of 600 requests a minute per caller, on loopback, and it stops by itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(SharedPlatforms.KILL)
class KillDrillIntegrationTests {

    private static final JsonMapper JSON = GatewayCalls.JSON;
    private static final String GATEWAY = "gateway-service";
    /** What a writer records when the gateway refused the connection (no one listened on its port). */
    private static final String REFUSED = "connection refused";
    private static final Duration RECOVERY = Duration.ofMinutes(4);
    /**
     * How long the events of the acknowledged writes may take to be stored once the wave's services are back: an
     * event a killed consumer had read but not acknowledged is taken over after {@code claim-idle}, 30 s.
     */
    private static final Duration EVENTS_STORED = Duration.ofMinutes(2);
    private static final int WRITES_BEFORE_KILL = 3;
    private static final int WRITES_AFTER_RECOVERY = 3;
    /**
     * The writers with the operator's token share its caller's limit of 600 requests a minute; the reads that check
     * a wave come on top of a minute's writes.
     */
    private static final double OPERATOR_WRITES_PER_SECOND = 6;
    private static final double WRITES_PER_SECOND_PER_WRITER = 4;
    /** The admin token's requests are limited per client address, as every request to a public path: 300 a minute. */
    private static final double ADMIN_TOKEN_WRITES_PER_SECOND = 3;
    /** The operator's own tenant, whose invoice the operator's metered writes are billed on. */
    private static final String OPERATOR_TENANT = "platform";

    /** Who writes: the operator's client (a bearer token) or the rate-limit administration's {@code X-Admin-Token}. */
    enum Credentials { OPERATOR, ADMIN_TOKEN }

    /** How the acknowledged writes are read back afterwards. */
    sealed interface ReadBack {

        /** {@code GET path(id)} answers 200 for each of them. */
        record EachById(Function<String, String> path) implements ReadBack {
        }

        /** {@code GET path} answers 200 and lists each of them. */
        record Listed(String path) implements ReadBack {
        }

        /** The number at {@code pointer} in {@code GET path} grew by exactly their number (no read by id exists). */
        record Counted(String path, String pointer) implements ReadBack {
        }
    }

    /**
     * A write through the gateway and how to check it afterwards: {@code path} and {@code body} for a unique suffix,
     * {@code id} finds the resource's id in the 2xx answer; its audit event (found by that id) and, when the write
     * is metered, its billable operation. {@code service} is the process the drill kills; the write goes to it
     * except for the gateway, which writes nothing itself.
     */
    record Writes(String service, Credentials credentials, String method, Function<String, String> path,
                  Function<String, String> body, Function<JsonNode, String> id, ReadBack readBack,
                  String auditEvent, String meteredOperation) {

        @Override
        public String toString() {
            return service;
        }
    }

    /** Services killed together. */
    record Wave(List<Writes> writes) {

        @Override
        public String toString() {
            return writes.stream().map(Writes::service).collect(Collectors.joining(", "));
        }
    }

    private RunningPlatform platform;
    private GatewayCalls calls;
    private String token;
    private String adminToken;
    private int auditPort;
    private String playbookId;
    private String modelId;
    private long drillStarted;

    @BeforeAll
    void joinTheSharedPlatforms(ExtensionContext context) throws Exception {
        platform = SharedPlatforms.drills(context);
        calls = new GatewayCalls(platform);
        // the first token of a platform just started may take longer than the gateway waits (503, reason timeout)
        HttpResponse<String> issued = await("the operator's token").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1)).until(() -> calls.tokenResponse(
                        platform.printedValue("client id:\\s+(\\S+)"),
                        platform.printedValue("client secret:\\s+(\\S+)")), answer -> answer.statusCode() != 503);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        token = "Bearer " + JSON.readTree(issued.body()).get("access_token").asString();
        adminToken = platform.printedValue("Admin token \\(X-Admin-Token[^:]*:\\s+(\\S+)");
        auditPort = platform.servicePort("audit-service");
        // a playbook that no event triggers, for the executions the drill starts by hand (dry runs)
        HttpResponse<String> playbook = send(calls.post("/security/v1/playbooks", "{\"name\":\"drill "
                + UUID.randomUUID() + "\",\"triggerConditions\":{\"eventTypes\":[\"drill.never\"]},"
                + "\"actions\":[{\"type\":\"block\"}],\"enabled\":false,\"dryRun\":true}"));
        assertThat(playbook.statusCode()).as(playbook.body()).isEqualTo(201);
        playbookId = JSON.readTree(playbook.body()).get("playbookId").asString();
        // a model for the bias evaluations the drill creates
        HttpResponse<String> model = send(calls.post("/ai/v1/registry/models", "{\"name\":\"drill-"
                + UUID.randomUUID() + "\",\"version\":\"1\",\"type\":\"llm\",\"provider\":\"drill\"}"));
        assertThat(model.statusCode()).as(model.body()).isEqualTo(201);
        modelId = JSON.readTree(model.body()).get("modelId").asString();
        drillStarted = System.nanoTime();
    }

    @AfterAll
    void printTheTimeTaken() {
        System.out.printf("drill kill -9: every wave in %d s after the platform was up%n",
                Duration.ofNanos(System.nanoTime() - drillStarted).toSeconds());
    }

    Stream<Wave> waves() {
        Writes kms = post("kms-service", "/kms/v1/keys",
                suffix -> "{\"name\":\"drill " + suffix + "\",\"algorithm\":\"AES-256-GCM\"}",
                body -> body.get("keyId").asString(), new ReadBack.EachById(id -> "/kms/v1/keys/" + id),
                "kms.key.created", "kms.key.create");
        return Stream.of(
                // audit-service away while kms-, access-, kpi-, search-, observability- and ai-orchestrator-service
                // are written to: their events wait in the stream until it is back
                new Wave(List.of(kms,
                        post("audit-service", "/api/v1/webhooks",
                                // a public host (audit-service resolves it from a hosts file of its own): the
                                // drill platform refuses private targets
                                suffix -> "{\"name\":\"drill " + suffix + "\",\"url\":\"https://"
                                        + RunningPlatform.PUBLIC_WEBHOOK_HOST + "/drill\","
                                        + "\"events\":[\"key.created\"],\"active\":false}",
                                body -> body.get("data").get("id").asString(),
                                new ReadBack.EachById(id -> "/api/v1/webhooks/" + id), "datahub.webhook.created", null),
                        post("access-service", "/access/v1/policies",
                                suffix -> "{\"name\":\"drill " + suffix + "\",\"effect\":\"allow\",\"principals\":"
                                        + "[\"group:drill\"],\"resources\":[\"document:" + suffix + "\"],"
                                        + "\"actions\":[\"read\"]}",
                                body -> body.get("policyId").asString(),
                                new ReadBack.EachById(id -> "/access/v1/policies/" + id), "access.policy.created",
                                null),
                        post("kpi-service", "/api/v1/storage/kpi/kpis",
                                suffix -> "{\"kpi\":\"drill_" + suffix.replace("-", "") + "\",\"unit\":\"ms\"}",
                                body -> body.get("kpi").asString(),
                                new ReadBack.Listed("/api/v1/storage/kpi/kpis"), "kpi.definition.created", null),
                        // a backup window far ahead, so that nothing runs
                        post("search-service", "/search/v1/health/maintenance",
                                suffix -> "{\"indexNames\":[\"audit-events\"],\"maintenanceType\":\"backup\","
                                        + "\"scheduledAt\":\"" + Instant.now().plus(300, ChronoUnit.DAYS)
                                        + "\",\"duration\":\"PT10M\"}",
                                body -> body.get("windowId").asString(),
                                new ReadBack.EachById(id -> "/search/v1/health/maintenance/" + id),
                                "search.maintenance.scheduled", null),
                        post("observability-service", "/observability/v1/dashboards",
                                suffix -> "{\"name\":\"drill " + suffix
                                        + "\",\"layout\":{\"columns\":12,\"rows\":8}}",
                                body -> body.get("dashboardId").asString(),
                                new ReadBack.Listed("/observability/v1/dashboards"), "observability.dashboard.created",
                                null),
                        post("ai-orchestrator-service", "/ai/v1/bias/evaluations",
                                suffix -> "{\"modelId\":\"" + modelId + "\",\"evaluationType\":\"calibration\","
                                        + "\"testDataset\":{\"content\":\"a,score,label\\nx,0.5,1\\n\"},"
                                        + "\"protectedAttributes\":[\"a\"]}",
                                body -> body.get("evaluationId").asString(),
                                new ReadBack.EachById(id -> "/ai/v1/bias/evaluations/" + id),
                                "ai.bias.evaluation.created", null))),
                // billing-service away while vault- and security-monitoring-service meter writes: the usage waits
                // in the stream until it is back
                new Wave(List.of(
                        post("vault-service", "/vault/v1/versioned-secrets",
                                suffix -> "{\"secretId\":\"drill-" + suffix + "\",\"value\":\"drill value " + suffix
                                        + "\"}",
                                body -> body.get("secretId").asString(),
                                new ReadBack.EachById(id -> "/vault/v1/versioned-secrets/" + id + "/versions/1"),
                                "vault.secret_version.created", "vault.secret_version_create"),
                        post("billing-service", "/billing/v1/promotions",
                                suffix -> "{\"code\":\"DRILL-" + suffix.toUpperCase(Locale.ROOT) + "\","
                                        + "\"creditAmount\":5}",
                                body -> body.get("promotionId").asString(),
                                new ReadBack.Listed("/billing/v1/promotions?limit=100"), "billing.promotion.created",
                                null),
                        new Writes("storage-service", Credentials.OPERATOR, "PUT",
                                suffix -> "/storage/v1/buckets/drill-" + suffix, suffix -> "{}",
                                body -> body.get("name").asString(),
                                new ReadBack.EachById(id -> "/storage/v1/buckets/" + id), "storage.bucket.created",
                                null),
                        post("crypto-inventory-service", "/crypto/v1/hardware",
                                suffix -> "{\"name\":\"drill " + suffix + "\",\"type\":\"hsm\"}",
                                body -> body.get("hardwareId").asString(),
                                new ReadBack.Counted("/crypto/v1/hardware/summary", "/totalDevices"),
                                "crypto.hardware.registered", null),
                        post("security-monitoring-service", "/security/v1/playbooks/execute",
                                suffix -> "{\"playbookId\":\"" + playbookId + "\",\"dryRun\":true,"
                                        + "\"context\":{\"incidentId\":\"drill-" + suffix + "\"}}",
                                body -> body.get("executionId").asString(),
                                new ReadBack.EachById(id -> "/security/v1/playbooks/executions/" + id),
                                "security.playbook.executed", "security.playbook_execute"),
                        post("tenant-service", "/tenant/v1/isolation/audits",
                                suffix -> "{\"scope\":[\"compute\"],\"depth\":\"quick\"}",
                                body -> body.get("auditId").asString(),
                                new ReadBack.EachById(id -> "/tenant/v1/isolation/audits/" + id),
                                "tenant.isolation_audit.created", null))),
                new Wave(List.of(
                        post("auth-service", "/api/v1/keys",
                                suffix -> "{\"name\":\"drill " + suffix + "\",\"scopes\":[\"read:keys\"]}",
                                body -> body.get("data").get("id").asString(),
                                new ReadBack.EachById(id -> "/api/v1/keys/" + id), "auth.api_key.created", null),
                        new Writes("ratelimit-service", Credentials.ADMIN_TOKEN, "POST", suffix -> "/v1/api-keys",
                                suffix -> "{\"name\":\"drill " + suffix + "\"}", body -> body.get("keyId").asString(),
                                new ReadBack.EachById(id -> "/v1/api-keys/" + id), "ratelimit.api_key.created",
                                null))),
                // the gateway writes nothing itself: the writes go to kms-service through it
                new Wave(List.of(new Writes(GATEWAY, kms.credentials(), kms.method(), kms.path(), kms.body(), kms.id(),
                        kms.readBack(), kms.auditEvent(), kms.meteredOperation()))));
    }

    private static Writes post(String service, String path, Function<String, String> body,
                               Function<JsonNode, String> id, ReadBack readBack, String auditEvent,
                               String meteredOperation) {
        return new Writes(service, Credentials.OPERATOR, "POST", suffix -> path, body, id, readBack, auditEvent,
                meteredOperation);
    }

    @ParameterizedTest(name = "kill -9 {0} under load")
    @MethodSource("waves")
    void noAcknowledgedWriteIsLostAndEveryServiceComesBackByItself(Wave wave) throws Exception {
        long started = System.nanoTime();
        Map<String, Integer> billedBefore = new HashMap<>();
        Map<String, Long> countedBefore = new HashMap<>();
        for (Writes writes : wave.writes()) {
            if (writes.meteredOperation() != null) {
                billedBefore.put(writes.service(), billedQuantity(writes.meteredOperation()));
            }
            if (writes.readBack() instanceof ReadBack.Counted counted) {
                countedBefore.put(writes.service(), count(counted));
            }
        }

        long operatorWriters = wave.writes().stream().filter(w -> w.credentials() == Credentials.OPERATOR).count();
        List<Writer> writers = wave.writes().stream().map(writes -> new Writer(writes,
                writes.credentials() == Credentials.ADMIN_TOKEN ? ADMIN_TOKEN_WRITES_PER_SECOND
                        : Math.min(WRITES_PER_SECOND_PER_WRITER, OPERATOR_WRITES_PER_SECOND / operatorWriters)))
                .toList();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (Writer writer : writers) {
                running.add(threads.submit(() -> {
                    writer.run();
                    return null;
                }));
            }
            for (Future<?> writer : running) {
                writer.get();
            }
        }
        long written = System.nanoTime();

        // every service is checked, and each failure names its service
        Map<String, Throwable> failures = new LinkedHashMap<>();
        for (Writer writer : writers) {
            try {
                check(writer, billedBefore.get(writer.writes.service()), countedBefore.get(writer.writes.service()));
            } catch (AssertionError | Exception failure) {
                failures.put(writer.writes.service(), failure);
            }
        }
        System.out.printf("drill kill -9 wave [%s]: writes and recovery %d s, checks %d s%n", wave,
                Duration.ofNanos(written - started).toSeconds(),
                Duration.ofNanos(System.nanoTime() - written).toSeconds());
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("kill -9 failed for " + failures.keySet() + ": "
                    + failures.entrySet().stream().map(f -> f.getKey() + ": " + f.getValue().getMessage())
                    .collect(Collectors.joining("\n")));
            failures.values().forEach(error::addSuppressed);
            throw error;
        }
    }

    /** One client writing to one service at a fixed pace, as a client would keep: 503s come back at once. */
    private final class Writer {

        final Writes writes;
        final long intervalNanos;
        final List<String> acknowledged = new ArrayList<>();
        /** By status code, or {@link #REFUSED}, or the class of another failure to get an answer. */
        final Map<String, Integer> answers = new TreeMap<>();
        final List<String> unavailable = new ArrayList<>();
        /** 503s after the gateway gave up waiting for the answer: the service may have done the write or not. */
        int unknownOutcome;
        int beforeKill;
        long killedPid;
        long nextWriteNanos;

        Writer(Writes writes, double perSecond) {
            this.writes = writes;
            this.intervalNanos = (long) (1_000_000_000L / perSecond);
        }

        void run() throws Exception {
            // the service is up: a write it refuses is the drill's mistake, and nothing is killed
            long upDeadline = System.nanoTime() + RECOVERY.toNanos();
            while (acknowledged.size() < WRITES_BEFORE_KILL && System.nanoTime() < upDeadline && answers.keySet()
                    .stream().allMatch(answer -> answer.matches("2\\d\\d") || answer.equals("503"))) {
                write();
            }
            if (acknowledged.size() < WRITES_BEFORE_KILL) {
                return;
            }
            killedPid = platform.processOf(writes.service()).pid();
            platform.stopService(writes.service());
            beforeKill = acknowledged.size();

            // the writer goes on until the service is back and has taken more writes
            long deadline = System.nanoTime() + RECOVERY.toNanos();
            while (acknowledged.size() < beforeKill + WRITES_AFTER_RECOVERY && System.nanoTime() < deadline) {
                write();
            }
        }

        private void write() throws Exception {
            long wait = nextWriteNanos - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            nextWriteNanos = System.nanoTime() + intervalNanos;
            String suffix = UUID.randomUUID().toString();
            HttpRequest.Builder request = HttpRequest.newBuilder(calls.uri(writes.path().apply(suffix)))
                    .header("Content-Type", "application/json")
                    .method(writes.method(), HttpRequest.BodyPublishers.ofString(writes.body().apply(suffix)));
            HttpResponse<String> answer;
            try {
                answer = send(request, writes.credentials());
            } catch (ConnectException refused) {
                answers.merge(REFUSED, 1, Integer::sum);
                return;
            } catch (java.io.IOException failed) {
                answers.merge(failed.getClass().getSimpleName(), 1, Integer::sum);
                return;
            }
            answers.merge(Integer.toString(answer.statusCode()), 1, Integer::sum);
            if (answer.statusCode() / 100 == 2) {
                acknowledged.add(writes.id().apply(JSON.readTree(answer.body())));
            } else {
                unavailable.add(answer.body());
                if (answer.statusCode() == 503 && answer.body().contains("\"timeout\"")) {
                    unknownOutcome++;
                }
            }
        }
    }

    private void check(Writer writer, Integer billedBefore, Long countedBefore) throws Exception {
        Writes writes = writer.writes;
        String service = writes.service();
        List<String> acknowledged = writer.acknowledged;
        assertThat(writer.killedPid).as("%s: killed after %d acknowledged writes (answers: %s, last refusal: %s)",
                service, WRITES_BEFORE_KILL, writer.answers, writer.unavailable.isEmpty() ? null
                        : writer.unavailable.getLast()).isNotZero();
        assertThat(acknowledged).as("%s: writes acknowledged before and after the kill (answers: %s)", service,
                writer.answers).hasSizeGreaterThanOrEqualTo(WRITES_BEFORE_KILL + WRITES_AFTER_RECOVERY);
        assertThat(platform.processOf(service).pid()).as("%s: a new process", service).isNotEqualTo(writer.killedPid);
        assertThat(platform.printed()).as("%s: what the launcher printed", service)
                .contains(service + " stopped (exit status 137)", "Started " + service + " again");

        // while the gateway is away no one answers; while a service is away the gateway answers 503 for it
        String away = service.equals(GATEWAY) ? REFUSED : "503";
        assertThat(writer.answers.keySet()).as("%s: answers", service)
                .allMatch(answer -> answer.matches("2\\d\\d") || answer.equals(away) || answer.equals("503"));
        assertThat(writer.answers).as("%s: the service was away for at least one request", service).containsKey(away);
        // the family's code: SERVICE_UNAVAILABLE, the KPI API's own dependency_down (docs/gateway-edge.md)
        String code = writes.path().apply("").startsWith("/api/v1/storage/kpi/") ? "dependency_down"
                : "service_unavailable";
        for (String refusal : writer.unavailable) {
            JsonNode body = JSON.readTree(refusal);
            assertThat(body.toString().toLowerCase(Locale.ROOT)).as("%s: a 503", service).contains(code)
                    .containsAnyOf("\"unreachable\"", "\"timeout\"");
            assertThat(refusal).as("%s: a 503", service).doesNotContain("Exception", "\tat ", "org.springframework");
        }

        switch (writes.readBack()) {
            case ReadBack.EachById byId -> {
                for (String id : acknowledged) {
                    HttpResponse<String> read = send(calls.get(byId.path().apply(id)), writes.credentials());
                    assertThat(read.statusCode()).as("%s: read back %s: %s", service, id, read.body()).isEqualTo(200);
                }
            }
            case ReadBack.Listed listed -> {
                HttpResponse<String> read = send(calls.get(listed.path()), writes.credentials());
                assertThat(read.statusCode()).as("%s: %s", service, read.body()).isEqualTo(200);
                assertThat(read.body()).as("%s: every acknowledged write listed", service)
                        .contains(acknowledged);
            }
            case ReadBack.Counted counted -> assertThat(count(counted))
                    .as("%s: %s grew by the acknowledged writes (and at most the %d the gateway gave up waiting for)",
                            service, counted.path(), writer.unknownOutcome)
                    .isBetween(countedBefore + acknowledged.size(),
                            countedBefore + acknowledged.size() + writer.unknownOutcome);
        }

        long deadline = System.nanoTime() + EVENTS_STORED.toNanos();
        for (String id : acknowledged) {
            List<JsonNode> events = await(service + ": the audit event of " + id)
                    .atMost(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L)))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> auditEvents(writes.auditEvent(), id, writes.credentials()), found -> !found.isEmpty());
            assertThat(events).as("%s: audit events of %s", service, id).hasSize(1);
        }

        if (writes.meteredOperation() != null) {
            int expected = billedBefore + acknowledged.size();
            int billed = await(service + ": " + writes.meteredOperation() + " billed")
                    .atMost(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L)))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> billedQuantity(writes.meteredOperation()), quantity -> quantity >= expected);
            assertThat(billed).as("%s: %s billed once per acknowledged write (and at most the %d the gateway gave "
                            + "up waiting for)", service, writes.meteredOperation(), writer.unknownOutcome)
                    .isBetween(expected, expected + writer.unknownOutcome);
        }
        System.out.printf("drill kill -9 %s: %d writes acknowledged (%d before the kill), answers %s%n",
                service, acknowledged.size(), writer.beforeKill, writer.answers);
    }

    /**
     * The events of the type for the resource, as its writer sees them: the operator's tenant's through the gateway;
     * the admin token's belong to no tenant and are read with the admin token at audit-service itself, since the
     * gateway lets no request without a bearer token or API key through to the audit API.
     */
    private List<JsonNode> auditEvents(String eventType, String resourceId, Credentials credentials) throws Exception {
        String query = "/events?eventType=" + eventType + "&resourceId=" + resourceId;
        HttpResponse<String> page = credentials == Credentials.ADMIN_TOKEN
                ? calls.send(HttpRequest.newBuilder(URI.create("http://localhost:" + auditPort + "/v1" + query))
                .header("X-Admin-Token", adminToken))
                : send(calls.get("/audit/v1" + query));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        JSON.readTree(page.body()).get("events").forEach(events::add);
        return events;
    }

    /** The units of the operation on the operator's tenant's newest invoice (0 before there is a line). */
    private int billedQuantity(String operation) throws Exception {
        HttpResponse<String> invoices = send(calls.get("/billing/v1/invoices/" + OPERATOR_TENANT + "?limit=1"));
        if (invoices.statusCode() == 404) {
            return 0; // billing has not heard of the tenant yet
        }
        assertThat(invoices.statusCode()).as(invoices.body()).isEqualTo(200);
        JsonNode list = JSON.readTree(invoices.body()).get("invoices");
        if (list.isEmpty()) {
            return 0;
        }
        for (JsonNode line : list.get(0).get("lineItems")) {
            if (line.get("operation").asString().equals(operation)) {
                return line.get("quantity").asInt();
            }
        }
        return 0;
    }

    private long count(ReadBack.Counted counted) throws Exception {
        HttpResponse<String> read = send(calls.get(counted.path()));
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        return JSON.readTree(read.body()).at(counted.pointer()).asLong();
    }

    /** Sends with the operator's token; a request that gets no answer within the timeout fails the drill. */
    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return calls.send(request, token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, Credentials credentials) throws Exception {
        return credentials == Credentials.ADMIN_TOKEN ? calls.send(request.header("X-Admin-Token", adminToken))
                : send(request);
    }
}
