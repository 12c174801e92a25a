package io.qnsp.gateway;

import io.qnsp.gateway.authentication.AuthenticationFilter;
import io.qnsp.gateway.web.StubBackend;
import io.qnsp.gateway.web.TestGateway;
import io.qnsp.test.infra.TestRedis;
import io.qnsp.test.token.TestTokenIssuer;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.awaitility.Awaitility.await;

/**
 * Fixtures for tests of the identity filters on a running gateway: the properties that point it at Redis, the
 * {@link TestAuthService} and a backend, a client without credentials of its own, and a recorder of the exchange
 * attributes the filters set.
 */
public final class TestIdentity {

    /** Requests carrying this header have their exchange attributes recorded under its value. */
    public static final String TEST_ID = "X-Test-Id";

    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestIdentity() {
    }

    /** Redis, the stub auth-service (also the token issuer's trust), and every other route to {@code backend}. */
    public static void properties(DynamicPropertyRegistry registry, TestRedis redis, StubBackend backend) {
        TestGateway.redis(registry, redis);
        registry.add("QNSP_AUTH_URL", () -> TestAuthService.shared().url());
        registry.add("QNSP_AUTH_ISSUER", () -> TestTokenIssuer.shared().issuer());
        registry.add("QNSP_GATEWAY_CLIENT_SECRET", () -> TestAuthService.CLIENT_SECRET);
        for (String service : List.of("ACCESS", "KMS", "VAULT", "STORAGE", "KPI", "RATELIMIT", "RATELIMIT_DECISION",
                "BILLING", "AUDIT")) {
            registry.add("QNSP_" + service + "_URL", backend::url);
        }
        // A cached verification then lives until its downstream token is about to expire (TestAuthService: 5
        // minutes, less the 30 s margin), far beyond any wait of a test: when a wait ends because a key is refused,
        // a change notice did it, never the cache's own expiry, however slow the machine.
        registry.add("qnsp.gateway.auth.key-cache.max-ttl", () -> "1h");
    }

    public static WebTestClient client(int port) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    /**
     * Waits until the gateway listens for API key change notices on the channel: a notice for a key that does not
     * exist is published until someone receives it.
     */
    public static void awaitSubscriber(StringRedisTemplate redis, String channel) {
        await("the gateway subscribed to " + channel).atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Long receivers;
            try {
                receivers = redis.convertAndSend(channel, "{\"keyId\":\"key_probe\",\"change\":\"probe\"}");
            } catch (RuntimeException redisAway) {
                receivers = 0L;
            }
            return receivers != null && receivers > 0;
        });
    }

    /**
     * Sends requests with the key (to a DataHub path that the backend answers) until the gateway answers
     * {@code expected}; fails after a generous wait, still far shorter than a cached verification lives in these
     * tests (see {@link #properties}).
     */
    public static HttpStatus awaitStatus(WebTestClient client, TestAuthService.TestKey key, HttpStatus expected) {
        return await("answer " + expected + " for " + key.keyId()).atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> HttpStatus.valueOf(client.get().uri("/api/v1/requests/" + UUID.randomUUID())
                        .header("X-API-Key", key.value()).exchange().expectBody().returnResult().getStatus()
                        .value()), status -> status == expected);
    }

    /** Records, per {@link #TEST_ID}, the exchange attributes once the exchange is done, whoever answered it. */
    public static final class ExchangeRecorder implements GlobalFilter, Ordered {

        private final Map<String, Map<String, Object>> recorded = new ConcurrentHashMap<>();

        @Override
        public int getOrder() {
            return AuthenticationFilter.ORDER - 1;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
            String id = exchange.getRequest().getHeaders().getFirst(TEST_ID);
            if (id == null) {
                return chain.filter(exchange);
            }
            return chain.filter(exchange).doFinally(signal -> recorded.put(id, new HashMap<>(exchange.getAttributes())));
        }

        /** The attributes of the exchange with this test id, waiting for it to finish on the server. */
        public Map<String, Object> attributes(String testId) {
            return await("the exchange " + testId + " done").atMost(WAIT).pollInterval(Duration.ofMillis(10))
                    .until(() -> recorded.get(testId), Objects::nonNull);
        }
    }
}
