package io.qnsp.platform;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drill: Redis stopped for {@link #OUTAGE} while a client writes through the gateway. What the platform promises
 * (docs/reliability.md), asserted with counts:
 * <ul>
 *   <li>the documented rate-limit mode holds: {@code local} (the default) keeps enforcing each caller's limits in
 *       the gateway's memory, so requests within a limit pass and a caller over its limit gets 429;</li>
 *   <li>writes go on being acknowledged, their events wait in the services' outboxes, and every one arrives at the
 *       audit log exactly once after Redis is back;</li>
 *   <li>the gateway's readiness reports Redis {@code disconnected} while it is away and {@code ready} after.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(SharedPlatforms.REDIS_OUTAGE)
class RedisOutageDrillIntegrationTests {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration RECOVERY = Duration.ofMinutes(2);
    private static final int WRITES_PER_SECOND = 2;
    private static final int KEY_LIMIT_PER_MINUTE = 5;
    private static final int BURST = 12;

    private GatewayCalls calls;
    private EmbeddedServers servers;
    private String operator;

    @BeforeAll
    void joinTheSharedPlatforms(ExtensionContext context) throws Exception {
        RunningPlatform platform = SharedPlatforms.drills(context);
        calls = new GatewayCalls(platform);
        servers = new EmbeddedServers(platform);
        operator = "Bearer " + calls.operatorToken();
    }

    @Test
    void limitsHoldWritesGoOnAndEveryEventArrivesOnceWhenRedisIsBack() throws Exception {
        // a DataHub API key of its own, limited to a few requests a minute, verified at the gateway once
        HttpResponse<String> created = calls.send(calls.post("/api/v1/keys", "{\"name\":\"redis drill\","
                + "\"scopes\":[\"read:keys\"],\"rateLimit\":{\"requestsPerMinute\":" + KEY_LIMIT_PER_MINUTE + "}}"),
                operator);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String apiKey = GatewayCalls.JSON.readTree(created.body()).get("data").get("apiKey").asString();
        assertThat(calls.send(calls.get("/api/v1/keys").header("X-API-Key", apiKey)).statusCode()).isEqualTo(200);
        assertThat(readiness()).as("ready before the drill").containsEntry("redis", "connected");

        KeyWriter writer = new KeyWriter(calls, operator, WRITES_PER_SECOND);
        writer.writeUntilAcknowledged(3, RECOVERY);
        int beforeOutage = writer.acknowledged.size();

        servers.stopRedis();
        long stopped = System.nanoTime();
        Map<String, String> whileAway = await("readiness reporting Redis away").atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(200)).until(this::readiness,
                        checks -> "disconnected".equals(checks.get("redis")));
        assertThat(whileAway).containsEntry("status", "not_ready");

        // the caller with its own small limit: the gateway's in-memory buckets keep the same limit
        Map<Integer, Integer> burst = new TreeMap<>();
        long burstStarted = System.nanoTime();
        for (int request = 0; request < BURST; request++) {
            HttpResponse<String> answer = calls.send(calls.get("/api/v1/keys").header("X-API-Key", apiKey));
            burst.merge(answer.statusCode(), 1, Integer::sum);
            if (answer.statusCode() == 429) {
                assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                assertThat(GatewayCalls.JSON.readTree(answer.body()).at("/error/code").asString())
                        .isEqualTo("RATE_LIMIT_EXCEEDED");
            }
        }
        double burstSeconds = (System.nanoTime() - burstStarted) / 1e9;
        assertThat(burst.keySet()).as("burst answers by status").containsOnly(200, 429);
        // a full bucket of its limit, plus what refilled while the burst ran (the limit spread over a minute)
        assertThat(burst.get(200)).as("admitted of %s requests within a limit of %s a minute: %s", BURST,
                KEY_LIMIT_PER_MINUTE, burst).isBetween(1, KEY_LIMIT_PER_MINUTE
                        + (int) Math.ceil(burstSeconds * KEY_LIMIT_PER_MINUTE / 60.0));

        // the operator's client writes on until the outage has lasted its time
        writer.writeFor(OUTAGE.minusNanos(System.nanoTime() - stopped));
        int duringOutage = writer.acknowledged.size() - beforeOutage;
        Map<Integer, Integer> outageAnswers = new TreeMap<>(writer.statuses);

        servers.startRedis();
        long restarted = System.nanoTime();
        Map<String, String> back = await("readiness with Redis back").atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(200)).until(this::readiness,
                        checks -> "ready".equals(checks.get("status")));
        double secondsToReady = (System.nanoTime() - restarted) / 1e9;
        assertThat(back).containsEntry("redis", "connected");
        writer.writeUntilAcknowledged(3, RECOVERY);

        assertThat(outageAnswers.keySet()).as("answers while Redis was away").containsOnly(201);
        assertThat(duringOutage).as("writes acknowledged while Redis was away").isGreaterThan(0);
        writer.assertNothingAcknowledgedIsLost(RECOVERY);
        System.out.printf("drill Redis stopped %d s: %d writes acknowledged (%d while away), answers %s; key limited"
                        + " to %d/min: %s in %.1f s; ready %.1f s after Redis started again%n", OUTAGE.toSeconds(),
                writer.acknowledged.size(), duringOutage, writer.statuses, KEY_LIMIT_PER_MINUTE, burst, burstSeconds,
                secondsToReady);
    }

    /** The gateway's readiness: {@code status} and each of its checks. */
    private Map<String, String> readiness() throws Exception {
        HttpResponse<String> ready = calls.send(calls.get("/health/ready"));
        JsonNode body = GatewayCalls.JSON.readTree(ready.body());
        Map<String, String> checks = new TreeMap<>();
        checks.put("status", body.path("status").asString());
        body.path("checks").properties().forEach(check -> checks.put(check.getKey(), check.getValue().asString()));
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo("ready".equals(checks.get("status")) ? 200 : 503);
        return checks;
    }
}
