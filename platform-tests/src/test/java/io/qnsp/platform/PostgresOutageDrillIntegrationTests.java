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
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drill: PostgreSQL stopped for {@link #OUTAGE} while a client writes through the gateway. What the platform
 * promises (docs/reliability.md), asserted with counts:
 * <ul>
 *   <li>a write the service cannot store is answered 503 {@code DEPENDENCY_DOWN} with {@code Retry-After}, in its
 *       family's format, within the pool's connection timeout: never a 500, never a hang;</li>
 *   <li>what is documented as cached keeps answering: ratelimit-service decides {@code /v1/check} for a key it
 *       has loaded, and the gateway admits an API key it has verified;</li>
 *   <li>once PostgreSQL is back, writes are acknowledged again without any service being restarted, and nothing
 *       acknowledged is lost.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(SharedPlatforms.POSTGRES_OUTAGE)
class PostgresOutageDrillIntegrationTests {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration RECOVERY = Duration.ofMinutes(2);
    private static final int WRITES_PER_SECOND = 2;

    private RunningPlatform platform;
    private GatewayCalls calls;
    private EmbeddedServers servers;
    private String operator;

    @BeforeAll
    void joinTheSharedPlatforms(ExtensionContext context) throws Exception {
        platform = SharedPlatforms.drills(context);
        calls = new GatewayCalls(platform);
        servers = new EmbeddedServers(platform);
        operator = "Bearer " + calls.operatorToken();
    }

    @Test
    void writesAre503DependencyDownCachedReadsGoOnAndEverythingRecoversWithoutARestart() throws Exception {
        // a key of the rate-limit service, loaded into its memory by a first check
        String adminToken = platform.printedValue("Admin token \\(X-Admin-Token[^:]*:\\s+(\\S+)");
        HttpResponse<String> rateLimitKey = calls.send(calls.post("/v1/api-keys", "{\"name\":\"postgres drill\"}")
                .header("X-Admin-Token", adminToken));
        assertThat(rateLimitKey.statusCode()).as(rateLimitKey.body()).isEqualTo(200);
        String check = "{\"apiKey\":\"" + GatewayCalls.JSON.readTree(rateLimitKey.body()).get("apiKey").asString()
                + "\"}";
        assertThat(calls.send(calls.post("/v1/check", check)).statusCode()).isEqualTo(200);
        // a DataHub key the gateway has verified
        // (its limit well above the drill's pace of reads)
        HttpResponse<String> created = calls.send(calls.post("/api/v1/keys", "{\"name\":\"postgres drill\","
                + "\"scopes\":[\"read:keys\"],\"rateLimit\":{\"requestsPerMinute\":1000}}"), operator);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String apiKey = GatewayCalls.JSON.readTree(created.body()).get("data").get("apiKey").asString();
        assertThat(calls.send(calls.get("/api/v1/rate-limits/status").header("X-API-Key", apiKey)).statusCode())
                .isEqualTo(200);

        KeyWriter writer = new KeyWriter(calls, operator, WRITES_PER_SECOND);
        writer.writeUntilAcknowledged(3, RECOVERY);
        int beforeOutage = writer.acknowledged.size();
        Map<String, Long> processes = serviceProcesses();

        servers.stopPostgres();
        long stopped = System.nanoTime();
        Map<Integer, Integer> cachedReads = new TreeMap<>();
        long slowestRefusalNanos = 0;
        while (System.nanoTime() - stopped < OUTAGE.toNanos()) {
            long sent = System.nanoTime();
            int status = writer.write();
            if (status != 201) {
                slowestRefusalNanos = Math.max(slowestRefusalNanos, System.nanoTime() - sent);
            }
            cachedReads.merge(calls.send(calls.post("/v1/check", check)).statusCode(), 1, Integer::sum);
            cachedReads.merge(calls.send(calls.get("/api/v1/rate-limits/status").header("X-API-Key", apiKey))
                    .statusCode(), 1, Integer::sum);
        }
        Map<Integer, Integer> outageAnswers = new TreeMap<>(writer.statuses);
        int refusedDuringOutage = writer.refusals.size();
        HttpResponse<String> ready = calls.send(calls.get("/health/ready"));

        servers.startPostgres();
        long restarted = System.nanoTime();
        writer.writeUntilAcknowledged(3, RECOVERY);
        double secondsToFirstWrite = (System.nanoTime() - restarted) / 1e9;

        assertThat(outageAnswers.keySet()).as("answers to writes around the outage").containsOnly(201, 503);
        assertThat(refusedDuringOutage).as("writes refused while PostgreSQL was away").isGreaterThan(0);
        for (String refusal : writer.refusals) {
            JsonNode body = GatewayCalls.JSON.readTree(refusal);
            assertThat(body.path("error").asString()).as(refusal).isEqualTo("DEPENDENCY_DOWN");
            assertThat(body.at("/details/dependency").asString()).as(refusal).isEqualTo("postgresql");
            assertThat(refusal).doesNotContain("Exception", "\tat ", "jdbc:", "SQLState");
        }
        assertThat(cachedReads).as("cached decisions and verified keys while PostgreSQL was away")
                .containsOnlyKeys(200);
        assertThat(ready.statusCode()).as("readiness while PostgreSQL was away: %s", ready.body()).isEqualTo(503);
        assertThat(serviceProcesses()).as("no service was restarted").isEqualTo(processes);
        writer.assertNothingAcknowledgedIsLost(RECOVERY);
        System.out.printf("drill PostgreSQL stopped %d s: %d writes acknowledged (%d before), answers %s, slowest"
                        + " refusal %.1f s; cached reads %s; first write %.1f s after PostgreSQL started again%n",
                OUTAGE.toSeconds(), writer.acknowledged.size(), beforeOutage, writer.statuses,
                slowestRefusalNanos / 1e9, cachedReads, secondsToFirstWrite);
    }

    /** Each service's process id, by the jar it runs. */
    private Map<String, Long> serviceProcesses() {
        return platform.launcher().descendants()
                .filter(process -> process.info().commandLine().orElse("").contains("-service/target/"))
                .collect(Collectors.toMap(process -> process.info().commandLine().orElseThrow()
                        .replaceAll(".*/([a-z-]+-service)/target/.*", "$1"), ProcessHandle::pid, (a, b) -> a,
                        TreeMap::new));
    }
}
