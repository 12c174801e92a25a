package io.qnsp.platform;

import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client of a drill: creates KMS keys through the gateway, one request at a time at a fixed pace (as a
 * well-behaved client keeps it, also while it is refused), and keeps what it was answered: the keys acknowledged
 * with a 2xx, the count of answers by status, and the bodies of the others.
 */
final class KeyWriter {

    private final GatewayCalls calls;
    private final String bearer;
    private final long pauseNanos;
    private long nextWriteNanos;
    final List<String> acknowledged = new ArrayList<>();
    final Map<Integer, Integer> statuses = new TreeMap<>();
    final List<String> refusals = new ArrayList<>();

    KeyWriter(GatewayCalls calls, String bearer, int writesPerSecond) {
        this.calls = calls;
        this.bearer = bearer;
        this.pauseNanos = 1_000_000_000L / writesPerSecond;
    }

    /** One write at the writer's pace; answers its status. */
    int write() throws Exception {
        long wait = nextWriteNanos - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        nextWriteNanos = System.nanoTime() + pauseNanos;
        HttpResponse<String> answer = calls.send(calls.post("/kms/v1/keys", "{\"name\":\"drill "
                + UUID.randomUUID() + "\",\"algorithm\":\"AES-256-GCM\"}"), bearer);
        statuses.merge(answer.statusCode(), 1, Integer::sum);
        if (answer.statusCode() / 100 == 2) {
            acknowledged.add(GatewayCalls.JSON.readTree(answer.body()).get("keyId").asString());
        } else {
            refusals.add(answer.body());
        }
        return answer.statusCode();
    }

    /** Writes until {@code duration} has passed. */
    void writeFor(Duration duration) throws Exception {
        long until = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < until) {
            write();
        }
    }

    /** Writes until {@code count} more writes are acknowledged, giving up after {@code atMost}. */
    void writeUntilAcknowledged(int count, Duration atMost) throws Exception {
        int target = acknowledged.size() + count;
        long until = System.nanoTime() + atMost.toNanos();
        while (acknowledged.size() < target && System.nanoTime() < until) {
            write();
        }
        assertThat(acknowledged).as("keys acknowledged (answers so far: %s)", statuses)
                .hasSizeGreaterThanOrEqualTo(target);
    }

    /** Every acknowledged key reads back, and its audit event is stored exactly once. */
    void assertNothingAcknowledgedIsLost(Duration eventWait) throws Exception {
        for (String keyId : acknowledged) {
            HttpResponse<String> read = calls.send(calls.get("/kms/v1/keys/" + keyId), bearer);
            assertThat(read.statusCode()).as("read back key %s: %s", keyId, read.body()).isEqualTo(200);
        }
        for (String keyId : acknowledged) {
            List<JsonNode> events = await("the audit event of key " + keyId).atMost(eventWait)
                    .pollInterval(Duration.ofMillis(250)).until(() -> auditEvents(keyId), found -> !found.isEmpty());
            assertThat(events).as("audit events of key %s", keyId).hasSize(1);
        }
    }

    private List<JsonNode> auditEvents(String keyId) throws Exception {
        HttpResponse<String> page = calls.send(calls.get("/audit/v1/events?eventType=kms.key.created&resourceId="
                + keyId), bearer);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        GatewayCalls.JSON.readTree(page.body()).get("events").forEach(events::add);
        return events;
    }
}
