package io.qnsp.ratelimit.envoy;

import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.grpc.Status;
import io.qnsp.ratelimit.RateLimitApplication;
import io.qnsp.ratelimit.RateLimitClient;
import io.qnsp.test.infra.ServiceInstances;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.ratelimit.envoy.EnvoyClient.descriptor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Redis stops while Envoy asks: the engine's failure mode decides, and fail-closed is gRPC UNAVAILABLE. */
class EnvoyRedisOutageIntegrationTests {

    private TestRedis redis;

    @BeforeEach
    void privateRedis() {
        redis = TestRedis.startPrivate();
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    @Test
    void failClosedAnswersUnavailableSoEnvoysFailureModeDecides() throws Exception {
        try (ServiceInstances instances = instances("fail-closed"); EnvoyClient envoy = client(instances)) {
            RateLimitRequest request = request(UUID.randomUUID().toString());
            assertThat(envoy.call(request).getOverallCode()).isEqualTo(Code.OK);

            redis.stop();
            for (int i = 0; i < 3; i++) {
                Status refused = envoy.failure(request);
                assertThat(refused.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(refused.getDescription()).contains("Redis");
            }
            // bad input is still bad input, whatever Redis does
            assertThat(envoy.failure(RateLimitRequest.newBuilder().setDomain("edge").build()).getCode())
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);

            redis.start();
            await("decisions on Redis again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> envoy.call(request).getStatusesCount() == 1);
        }
    }

    @Test
    void theDefaultLocalModeKeepsEnforcingRulesAndKeysInProcess() throws Exception {
        try (ServiceInstances instances = instances(null); EnvoyClient envoy = client(instances)) {
            RateLimitClient api = new RateLimitClient(instances.context(0).getEnvironment()
                    .getRequiredProperty("local.server.port", Integer.class));
            String key = api.createKey("outage", 1, 10_000_000);
            RateLimitRequest byRule = request(UUID.randomUUID().toString());
            assertThat(envoy.call(byRule).getOverallCode()).isEqualTo(Code.OK);
            assertThat(envoy.call("edge", descriptor("api_key", key)).getOverallCode()).isEqualTo(Code.OK);

            redis.stop();
            // the instance's own bucket starts full: the rule's two per hour, then over the limit
            RateLimitRequest fresh = request(UUID.randomUUID().toString());
            assertThat(envoy.call(fresh).getStatuses(0).getLimitRemaining()).isEqualTo(1);
            assertThat(envoy.call(fresh).getStatuses(0).getLimitRemaining()).isZero();
            RateLimitResponse over = envoy.call(fresh);
            assertThat(over.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
            // the key is still known (its settings are in memory) and limited by its own burst, which would take
            // months to refill
            assertThat(envoy.call("edge", 10_000_000, descriptor("api_key", key)).getOverallCode()).isEqualTo(Code.OK);
            assertThat(envoy.call("edge", 10_000_000, descriptor("api_key", key)).getOverallCode())
                    .isEqualTo(Code.OVER_LIMIT);
        }
    }

    private ServiceInstances instances(String failureMode) {
        Map<String, Object> properties = new java.util.HashMap<>(Map.of(
                "qnsp.ratelimit.redis-retry-interval", "200ms",
                "qnsp.ratelimit.envoy.domains.edge.descriptors[0].key", "remote_address",
                "qnsp.ratelimit.envoy.domains.edge.descriptors[0].unit", "hour",
                "qnsp.ratelimit.envoy.domains.edge.descriptors[0].requests-per-unit", "2"));
        if (failureMode != null) {
            properties.put("qnsp.ratelimit.redis-failure-mode", failureMode);
        }
        ServiceInstances instances = new ServiceInstances(RateLimitApplication.class, redis, properties);
        instances.start();
        return instances;
    }

    private static EnvoyClient client(ServiceInstances instances) {
        return new EnvoyClient(instances.context(0).getBean(EnvoyRateLimitServer.class).port());
    }

    private static RateLimitRequest request(String address) {
        return RateLimitRequest.newBuilder().setDomain("edge").addDescriptors(descriptor("remote_address", address))
                .build();
    }
}
