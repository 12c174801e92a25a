package io.qnsp.gateway.web;

import io.qnsp.test.infra.TestRedis;
import io.qnsp.test.token.TestTokenIssuer;
import io.qnsp.test.token.TestTokens;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.UUID;

/** Fixtures for tests that run the whole gateway on a random port against stub backends. */
public final class TestGateway {

    /** The tenant {@link #client} authenticates as. */
    public static final String TENANT = "tenant-a";

    private TestGateway() {
    }

    /**
     * Points the gateway at a Redis under a key prefix of its own, with the tests' command timeout
     * ({@link TestRedis#COMMAND_TIMEOUT}); a test of a Redis that does not answer registers its own afterwards.
     */
    public static void redis(DynamicPropertyRegistry registry, TestRedis redis) {
        registry.add("spring.data.redis.url", () -> "redis://" + redis.host() + ":" + redis.port());
        String prefix = "gw" + UUID.randomUUID().toString().substring(0, 8) + ":";
        registry.add("qnsp.redis.key-prefix", () -> prefix);
        registry.add("qnsp.redis.command-timeout", () -> TestRedis.COMMAND_TIMEOUT.toMillis() + "ms");
    }

    /**
     * Makes the gateway trust the {@link TestTokenIssuer}, so the tokens {@link #client} sends pass authentication
     * whatever auth-service URL the routes point at.
     */
    public static void trustTestTokens(DynamicPropertyRegistry registry) {
        registry.add("qnsp.gateway.auth.issuer", () -> TestTokenIssuer.shared().issuer());
        registry.add("qnsp.gateway.auth.jwk-set-uri", () -> TestTokenIssuer.shared().jwkSetUri());
    }

    /** Points every route of the routing table at the backend. */
    public static void allRoutesTo(DynamicPropertyRegistry registry, String url) {
        for (String service : new String[]{"AUTH", "ACCESS", "KMS", "VAULT", "STORAGE", "KPI", "RATELIMIT", "BILLING",
                "AUDIT"}) {
            registry.add("QNSP_" + service + "_URL", () -> url);
        }
    }

    /**
     * A client of the running gateway that gives up well after any bound the gateway itself keeps. It authenticates
     * as a caller of tenant {@code tenant-a} with a token of the {@link TestTokenIssuer} (see
     * {@link #trustTestTokens}); public paths ignore it.
     */
    public static WebTestClient client(int port) {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.forTenant(TENANT).audience("qnsp").mint())
                .responseTimeout(Duration.ofSeconds(8))
                .build();
    }
}
