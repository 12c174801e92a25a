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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixtures for tests of the identity filters on a running gateway: the properties that point it at Redis, the
 * {@link TestAuthService} and a backend, a client without credentials of its own, and a recorder of the exchange
 * attributes the filters set.
 */
public final class TestIdentity {

    /** Requests carrying this header have their exchange attributes recorded under its value. */
    public static final String TEST_ID = "X-Test-Id";

    private TestIdentity() {
    }

    /** Redis, the stub auth-service (also the token issuer's trust), and every other route to {@code backend}. */
    public static void properties(DynamicPropertyRegistry registry, TestRedis redis, StubBackend backend) {
        TestGateway.redis(registry, redis);
        registry.add("QNSP_AUTH_URL", () -> TestAuthService.shared().url());
        registry.add("QNSP_AUTH_ISSUER", () -> TestTokenIssuer.shared().issuer());
        registry.add("QNSP_GATEWAY_CLIENT_SECRET", () -> TestAuthService.CLIENT_SECRET);
        for (String service : List.of("ACCESS", "KMS", "VAULT", "STORAGE", "KPI", "RATELIMIT", "BILLING", "AUDIT")) {
            registry.add("QNSP_" + service + "_URL", backend::url);
        }
    }

    public static WebTestClient client(int port) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    /**
     * Waits until the gateway listens for API key change notices on the channel: a notice for a key that does not
     * exist is published until someone receives it.
     */
    public static void awaitSubscriber(StringRedisTemplate redis, String channel) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() - deadline < 0) {
            Long receivers;
            try {
                receivers = redis.convertAndSend(channel, "{\"keyId\":\"key_probe\",\"change\":\"probe\"}");
            } catch (RuntimeException redisAway) {
                receivers = 0L;
            }
            if (receivers != null && receivers > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the gateway never subscribed to " + channel);
    }

    /**
     * Sends requests with the key (to a DataHub path that the backend answers) until the gateway answers
     * {@code expected} or {@code within} has passed; the last status seen.
     */
    public static HttpStatus awaitStatus(WebTestClient client, TestAuthService.TestKey key, HttpStatus expected,
                                         Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        HttpStatus status;
        do {
            status = HttpStatus.valueOf(client.get().uri("/api/v1/requests/" + UUID.randomUUID())
                    .header("X-API-Key", key.value()).exchange().expectBody().returnResult().getStatus().value());
            if (status == expected) {
                return status;
            }
            Thread.sleep(20);
        } while (System.nanoTime() - deadline < 0);
        return status;
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

        /** The attributes of the exchange with this test id, waiting briefly for it to finish on the server. */
        public Map<String, Object> attributes(String testId) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!recorded.containsKey(testId) && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            return recorded.getOrDefault(testId, Map.of());
        }
    }
}
