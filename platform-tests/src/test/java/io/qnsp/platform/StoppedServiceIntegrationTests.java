package io.qnsp.platform;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service of the black-box platform stopped for good (the launcher of that platform does not restart services):
 * the gateway answers for it at once and its readiness says so. It stops the shared JVM that runs every service of
 * that platform, so it is the last class on it ({@link SharedPlatforms#BLACK_BOX_LAST}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(SharedPlatforms.BLACK_BOX_LAST)
class StoppedServiceIntegrationTests {

    private RunningPlatform platform;
    private GatewayCalls calls;

    @BeforeAll
    void platform(ExtensionContext context) {
        platform = SharedPlatforms.blackBox(context);
        calls = new GatewayCalls(platform);
    }

    @Test
    void aStoppedServiceAnswers503QuicklyAndReadinessSaysSo() throws Exception {
        platform.stopService("ratelimit-service");
        HttpResponse<String> response = calls.send(calls.post("/v1/check", "{\"apiKey\":\"RAT-x\"}"));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("ratelimit");
        // a refused connection is answered at once: the gateway says the service is unreachable, not that it waited
        // for the 10 s response timeout (that would be reason "timeout")
        JsonNode refusal = GatewayCalls.JSON.readTree(response.body());
        assertThat(refusal.at("/details/reason").asString()).isEqualTo("unreachable");
        HttpResponse<String> ready = calls.send(calls.get("/health/ready"));
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(GatewayCalls.JSON.readTree(ready.body()).get("status").asString()).isEqualTo("not_ready");
    }
}
