package io.qnsp.platform;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drill: {@code kill -9} of one service while a client writes through the gateway, one service after the other.
 * The platform runs as compose and Kubernetes run it, every service a process of its own that is started again when
 * it stops (the launcher does it here). For each service the drill counts, and asserts on the counts:
 * <ul>
 *   <li>every answer while the service is away is a 503 in its API family's format, never a 500, a hang past the
 *       client's timeout or a stack trace;</li>
 *   <li>the service comes back by itself and writes succeed again;</li>
 *   <li>no acknowledged write is lost: every write answered 2xx, before or after the kill, is read back;</li>
 *   <li>the audit event of every acknowledged write is stored exactly once.</li>
 * </ul>
 * Load is bounded (one writer, one request at a time and at most {@link #WRITES_PER_SECOND} a second, on loopback,
 * under the gateway's default limit of 600 requests a minute per caller) and stops by itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(DrillPlatform.KILL)
class KillDrillIntegrationTests {

    private static final JsonMapper JSON = GatewayCalls.JSON;
    private static final Duration RECOVERY = Duration.ofMinutes(4);
    private static final int WRITES_BEFORE_KILL = 5;
    private static final int WRITES_AFTER_RECOVERY = 5;
    private static final int WRITES_PER_SECOND = 4;

    /**
     * A write through the gateway and how to read it back: {@code create} gives the request body for a unique
     * suffix, {@code id} finds the resource's id in the 2xx answer, {@code read} is the path that reads it.
     */
    record Writes(String service, String path, Function<String, String> create, Function<JsonNode, String> id,
                  Function<String, String> read, String auditEvent) {

        @Override
        public String toString() {
            return service;
        }
    }

    static Stream<Writes> writes() {
        return Stream.of(
                new Writes("kms-service", "/kms/v1/keys",
                        suffix -> "{\"name\":\"drill " + suffix + "\",\"algorithm\":\"AES-256-GCM\"}",
                        body -> body.get("keyId").asString(), id -> "/kms/v1/keys/" + id, "kms.key.created"),
                new Writes("vault-service", "/vault/v1/versioned-secrets",
                        suffix -> "{\"secretId\":\"drill-" + suffix + "\",\"value\":\"drill value " + suffix + "\"}",
                        body -> body.get("secretId").asString(),
                        id -> "/vault/v1/versioned-secrets/" + id + "/versions/1", "vault.secret_version.created"),
                new Writes("access-service", "/access/v1/policies",
                        suffix -> "{\"name\":\"drill " + suffix + "\",\"effect\":\"allow\",\"principals\":"
                                + "[\"group:drill\"],\"resources\":[\"document:" + suffix + "\"],\"actions\":[\"read\"]}",
                        body -> body.get("policyId").asString(), id -> "/access/v1/policies/" + id,
                        "access.policy.created"),
                new Writes("auth-service", "/api/v1/keys",
                        suffix -> "{\"name\":\"drill " + suffix + "\",\"scopes\":[\"read:keys\"]}",
                        body -> body.get("data").get("id").asString(), id -> "/api/v1/keys/" + id,
                        "auth.api_key.created"));
    }

    private RunningPlatform platform;
    private GatewayCalls calls;
    private String token;
    private long nextWriteNanos;

    @BeforeAll
    void joinTheDrillPlatform(ExtensionContext context) throws Exception {
        platform = DrillPlatform.running(context);
        calls = new GatewayCalls(platform);
        token = "Bearer " + calls.operatorToken();
    }

    @ParameterizedTest(name = "kill -9 {0} under load")
    @MethodSource("writes")
    void noAcknowledgedWriteIsLostAndTheServiceComesBackByItself(Writes writes) throws Exception {
        List<String> acknowledged = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> refusals = new ArrayList<>();

        while (acknowledged.size() < WRITES_BEFORE_KILL) {
            write(writes, acknowledged, statuses, refusals);
        }
        long killed = platform.processOf(writes.service()).pid();
        platform.stopService(writes.service());
        int beforeKill = acknowledged.size();

        // the writer goes on until the service is back and has taken more writes
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (acknowledged.size() < beforeKill + WRITES_AFTER_RECOVERY && System.nanoTime() < deadline) {
            write(writes, acknowledged, statuses, refusals);
        }
        assertThat(acknowledged).as("writes acknowledged after %s was killed (answers: %s)", writes.service(),
                statuses).hasSizeGreaterThanOrEqualTo(beforeKill + WRITES_AFTER_RECOVERY);
        assertThat(platform.processOf(writes.service()).pid()).as("a new process").isNotEqualTo(killed);
        assertThat(platform.printed()).contains(writes.service() + " stopped (exit status 137)",
                "Started " + writes.service() + " again");
        assertThat(statuses.keySet()).as("answers by status").allMatch(status -> status / 100 == 2 || status == 503);
        assertThat(statuses).as("the service was away for at least one request").containsKey(503);
        for (String refusal : refusals) {
            JsonNode body = JSON.readTree(refusal);
            assertThat(body.toString().toLowerCase()).contains("service_unavailable");
            assertThat(refusal).doesNotContain("Exception", "\tat ", "org.springframework");
        }

        for (String id : acknowledged) {
            HttpResponse<String> read = send(calls.get(writes.read().apply(id)));
            assertThat(read.statusCode()).as("read back %s %s: %s", writes.service(), id, read.body()).isEqualTo(200);
        }
        for (String id : acknowledged) {
            List<JsonNode> events = await("the audit event of " + id).atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200)).until(() -> auditEvents(writes.auditEvent(), id),
                            found -> !found.isEmpty());
            assertThat(events).as("audit events of %s %s", writes.service(), id).hasSize(1);
        }
        System.out.printf("drill kill -9 %s: %d writes acknowledged (%d before the kill), answers %s%n",
                writes.service(), acknowledged.size(), beforeKill, statuses);
    }

    private void write(Writes writes, List<String> acknowledged, Map<Integer, Integer> statuses,
                       List<String> refusals) throws Exception {
        // a fixed pace, as a client would keep: while the service is away its 503s come back at once
        long wait = nextWriteNanos - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        nextWriteNanos = System.nanoTime() + 1_000_000_000L / WRITES_PER_SECOND;
        HttpResponse<String> answer = send(calls.post(writes.path(), writes.create().apply(UUID.randomUUID().toString())));
        statuses.merge(answer.statusCode(), 1, Integer::sum);
        if (answer.statusCode() / 100 == 2) {
            acknowledged.add(writes.id().apply(JSON.readTree(answer.body())));
        } else {
            refusals.add(answer.body());
        }
    }

    private List<JsonNode> auditEvents(String eventType, String resourceId) throws Exception {
        HttpResponse<String> page = send(calls.get("/audit/v1/events?eventType=" + eventType + "&resourceId=" + resourceId));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        JSON.readTree(page.body()).get("events").forEach(events::add);
        return events;
    }

    /** Sends with the operator's token; a request that gets no answer within the timeout fails the drill. */
    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return calls.send(request, token);
    }
}
